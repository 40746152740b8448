import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizers, type Authorizer } from "@/db/schema";
import { anyConfigVersion } from "@/db/queries/config-version";
import { TtlCache } from "@/lib/cache/ttl-cache";
import { issueTenantContext, type TenantContext } from "./tenant-context";
import { config } from "@/lib/config/env";

// Deliberately cross-tenant code, kept here and small:
// - the background worker acts for whichever tenant owns the job it claimed;
// - the authorizer callback finds its tenant through the authorizer's opaque id in the URL.
// Neither grants any console or API permission; what they may do is what lib/gateway does with them.

/** The worker's context for the tenant that owns a job. */
export function workerContext(tenantId: string): TenantContext {
  return issueTenantContext(tenantId, { type: "system", component: "worker" }, []);
}

/**
 * Resolves `POST /api/stepauth/callback/{authorizerId}`: the authorizer row and a context for its
 * tenant, or null. Knowing the id proves nothing; the decision's signature is checked against this
 * authorizer's keys before anything is written.
 */
export async function authorizerCallbackContext(
  db: Database,
  authorizerId: string,
): Promise<{ ctx: TenantContext; authorizer: Authorizer } | null> {
  const authorizer = await callbackAuthorizers.get(authorizerId, async () => {
    const [row] = await db.select().from(authorizers).where(eq(authorizers.id, authorizerId));
    return row ?? null;
  });
  if (!authorizer) return null;
  return {
    authorizer,
    ctx: issueTenantContext(authorizer.tenantId, { type: "system", component: "authorizer_callback" }, []),
  };
}

// Every callback starts with this lookup: keep a found authorizer for a second, like the rest of a
// tenant's configuration (a change through this process, such as a removed key, applies at once).
const callbackAuthorizers = new TtlCache<string, Authorizer | null>({
  ttlMs: config().GATEWAY_CONFIG_CACHE_MS,
  maxEntries: 10_000,
  version: anyConfigVersion,
});
