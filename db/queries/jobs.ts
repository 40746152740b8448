import { eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { jobs, type Job, type JobKind } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { claimJobs, type ClaimLease } from "./system/jobs";
import { forTenant } from "./tenant-scope";

// The tenant's own job claims. Claiming for every tenant, leases and completion: system/jobs.ts.

/** Claims the due jobs of `kinds` of one request of the tenant (e.g. a cancel runs its cancels at once). */
export function claimRequestJobs(
  db: Database,
  ctx: TenantContext,
  requestId: string,
  kinds: JobKind[],
  limit: number,
  lease: ClaimLease,
): Promise<Job[]> {
  return claimJobs(db, limit, lease, [
    forTenant(ctx, jobs.tenantId, eq(jobs.requestId, requestId), inArray(jobs.kind, kinds)),
  ]);
}
