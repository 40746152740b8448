import type { Database } from "@/db/client";
import type { Authorizer, Job } from "@/db/schema";
import { anyConfigVersion } from "@/db/queries/config-version";
import { jobRowTenant } from "@/db/queries/job-rows";
import { findAuthorizerForCallback } from "@/db/queries/system/authorizer-callback";
import { TtlCache } from "@/lib/cache/ttl-cache";
import { issueTenantContext, type TenantContext } from "./tenant-context";
import { config } from "@/lib/config/env";

// Deliberately cross-tenant code, kept here and small. Each context names its tenant only from a
// row it was given by db/, never from a tenant id a caller passes:
// - a job (gateway submit/poll/cancel/expire/deliver/report, audit seal, retention purge) acts for
//   whichever tenant owns the job row that was claimed or leased;
// - the authorizer callback finds its tenant through the authorizer's opaque id in the URL.
// Neither grants any console or API permission; what they may do is what their handlers do with them.

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
  const tenantId = jobRowTenant(job);
  if (tenantId === undefined) throw new Error("jobContext needs a job row read from the database");
  // The row's tenant as read; a row changed since is refused, so its handler never sees two tenants.
  if (job.tenantId !== tenantId)
    throw new Error("jobContext refuses a job row whose tenantId changed after it was read");
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
