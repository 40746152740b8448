import { createHash } from "node:crypto";
import type { Database } from "@/db/client";
import { anyConfigVersion } from "@/db/queries/config-version";
import { findActiveApiKeyBySecret } from "@/db/queries/system/api-keys";
import type { ApiKey } from "@/db/schema";
import { TtlCache } from "@/lib/cache/ttl-cache";
import { AppError } from "@/lib/errors/app-error";
import { permissionsOfScopes } from "./permissions";
import { issueTenantContext, type TenantContext } from "./tenant-context";
import { config } from "@/lib/config/env";

// Every API call starts with this lookup: keep a found key for a second (keyed by the secret's
// hash, never the secret). Revoking a key through this process applies to the next request; other
// instances stop accepting it within API_KEY_CACHE_MS. Unknown keys are never cached.
const keys = new TtlCache<string, ApiKey | null>({
  ttlMs: config().API_KEY_CACHE_MS,
  maxEntries: 10_000,
  version: anyConfigVersion,
});

function lookup(db: Database, secret: string): Promise<ApiKey | null> {
  return keys.get(createHash("sha256").update(secret).digest("base64"), () => findActiveApiKeyBySecret(db, secret));
}

/** Authenticates `Authorization: Bearer sag_…` and issues the key's TenantContext. */
export async function authenticateApiKey(db: Database, headers: Headers): Promise<TenantContext> {
  const header = headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match?.[1]) throw new AppError("unauthenticated", "Send an API key as 'Authorization: Bearer <key>'");
  const key = await lookup(db, match[1]);
  if (!key) throw new AppError("invalid_api_key", "The API key is unknown or revoked");
  return issueTenantContext(key.tenantId, { type: "api_key", apiKeyId: key.id }, permissionsOfScopes(key.scopes));
}
