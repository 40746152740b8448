import { getRoutingScriptVersion, listRoutingScriptVersions } from "@/db/queries/routing-versions";
import { updateTenantSettings } from "@/db/queries/tenant-settings";
import { AppError } from "@/lib/errors/app-error";
import { json, type TenantRequest } from "../api-route";
import { uuidParam } from "../json-body";

// The routing script's saved versions (read from the audit trail) and restoring one of them.

export async function listRoutingVersionsRoute({ db, ctx }: TenantRequest<unknown>) {
  return json({ data: await listRoutingScriptVersions(db, ctx) });
}

/**
 * Saves an earlier version again as the current script, through the same validated save as the
 * editor (a script naming an authorizer that no longer exists is refused with its position), and
 * records which version it came from.
 */
export async function restoreRoutingVersionRoute({ db, ctx, params }: TenantRequest<{ id: string }>) {
  const id = uuidParam(params.id, "version");
  const version = await getRoutingScriptVersion(db, ctx, id);
  if (!version) throw new AppError("not_found", "No such routing script version");
  const { settings } = await updateTenantSettings(
    db,
    ctx,
    { routingScript: version.script },
    { restoredFrom: version.id },
  );
  return json({ routingScript: settings.routingScript, restoredFrom: version.id });
}
