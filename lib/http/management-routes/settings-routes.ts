import { getTenantSettings, updateTenantSettings } from "@/db/queries/tenant-settings";
import { json, type TenantRequest } from "../api-route";
import { readJsonBody } from "../json-body";
import { tenantSettingsPatchSchema } from "./settings-schemas";

// Shared by /api/v1/settings and, later, the console. The webhook secret appears only in the PUT that issued it.

export async function getSettingsRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await getTenantSettings(db, ctx));
}

export async function updateSettingsRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const patch = await readJsonBody(request, tenantSettingsPatchSchema);
  const { settings, webhookSecret } = await updateTenantSettings(db, ctx, patch);
  return json(webhookSecret ? { ...settings, webhookSecret } : settings);
}
