import type { Database } from "@/db/client";
import { findActiveApiKeyBySecret } from "@/db/queries/api-keys";
import { AppError } from "@/lib/errors/app-error";
import { permissionsOfScopes } from "./permissions";
import { issueTenantContext, type TenantContext } from "./tenant-context";

/** Authenticates `Authorization: Bearer sag_…` and issues the key's TenantContext. */
export async function authenticateApiKey(db: Database, headers: Headers): Promise<TenantContext> {
  const header = headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match?.[1]) throw new AppError("unauthenticated", "Send an API key as 'Authorization: Bearer <key>'");
  const key = await findActiveApiKeyBySecret(db, match[1]);
  if (!key) throw new AppError("invalid_api_key", "The API key is unknown or revoked");
  return issueTenantContext(key.tenantId, { type: "api_key", apiKeyId: key.id }, permissionsOfScopes(key.scopes));
}
