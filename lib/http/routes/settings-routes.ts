import { getTenantSettings, updateTenantSettings } from "@/db/queries/tenant-settings";
import { consoleQueryLoaders } from "@/lib/console/queries";
import { sendWebhookTestEvent } from "@/lib/console/webhook-test-event";
import { json, type TenantRequest } from "../api-route";
import { readJsonBody } from "../json-body";
import { tenantSettingsPatchSchema } from "../schemas/settings";

// /api/v1/settings and /api/console/settings/**. The webhook secret appears only in the PUT that issued it.

export async function getSettingsRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await getTenantSettings(db, ctx));
}

export async function getConsoleSettingsRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await consoleQueryLoaders.settings(db, ctx));
}

export async function updateSettingsRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const patch = await readJsonBody(request, tenantSettingsPatchSchema);
  const { settings, webhookSecret } = await updateTenantSettings(db, ctx, patch);
  return json(webhookSecret ? { ...settings, webhookSecret } : settings);
}

export async function webhookTestRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await sendWebhookTestEvent(db, ctx));
}

export async function webhookDeliveriesRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await consoleQueryLoaders.deliveries(db, ctx));
}
