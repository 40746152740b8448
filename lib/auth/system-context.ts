import type { Database } from "@/db/client";
import type { Authorizer, Job } from "@/db/schema";
import { anyConfigVersion } from "@/db/queries/config-version";
import { rowTenantAtRead } from "@/db/queries/system-rows";
import { findAuthorizerForCallback } from "@/db/queries/system/authorizer-callback";
import type { OverdueRequest } from "@/db/queries/system/request-expiry";
import { TtlCache } from "@/lib/cache/ttl-cache";
import { issueTenantContext, type TenantContext } from "./tenant-context";
import { config } from "@/lib/config/env";

// Deliberately cross-tenant code, kept here and small. Each context names its tenant only from a
// row it was given by db/, never from a tenant id a caller passes:
// - a job (gateway submit/poll/cancel/deliver/report, audit seal, retention purge) acts for
//   whichever tenant owns the job row that was claimed or leased;
// - the expiry sweep ends an overdue request for the tenant of the request row it found;
// - the authorizer callback finds its tenant through the authorizer's opaque id in the URL.
// None grants any console or API permission; what they may do is what their handlers do with them.

/**
 * The context a job runs in: the tenant of `job`, which must be a row db/ returned (a claim by
 * `claimDueJobs`, or a job a write leased to its caller), for the tenant it had when read. Throws
 * for anything else, such as an object literal naming a tenant id, or a row whose tenantId was changed.
 *
 * @example
 * ```ts
 * for (const job of await claimDueJobs(db, 16, lease)) await handler(db, jobContext(job), job);
 * ```
 */
export function jobContext(job: Job): TenantContext {
  return issueTenantContext(
    tenantOfRowRead(job, "jobContext", "a job row"),
    { type: "system", component: "worker" },
    [],
  );
}

/**
 * The context the expiry sweep ends an overdue request in: the tenant of `row`, which must be a row
 * `findOverdueRequests` returned, for the tenant it had when read (refused otherwise, as jobContext).
 *
 * @example
 * ```ts
 * for (const row of await findOverdueRequests(db, 100)) await finalizeRequest(db, expiryContext(row), …);
 * ```
 */
export function expiryContext(row: OverdueRequest): TenantContext {
  return issueTenantContext(
    tenantOfRowRead(row, "expiryContext", "an overdue request row"),
    { type: "system", component: "worker" },
    [],
  );
}

// The row's tenant as read; a row changed since is refused, so its handler never sees two tenants.
function tenantOfRowRead(row: { tenantId: string }, caller: string, what: string): string {
  const tenantId = rowTenantAtRead(row);
  if (tenantId === undefined) throw new Error(`${caller} needs ${what} read from the database`);
  if (row.tenantId !== tenantId) throw new Error(`${caller} refuses ${what} whose tenantId changed after it was read`);
  return tenantId;
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
  const authorizer = await callbackAuthorizers.get(authorizerId, () => findAuthorizerForCallback(db, authorizerId));
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
