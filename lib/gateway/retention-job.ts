import type { Database } from "@/db/client";
import type { Job } from "@/db/schema";
import { leaseOf, renewJobLease } from "@/db/queries/system/jobs";
import { purgeExpiredRequests } from "@/db/queries/retention";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { JOB_LEASE_SECONDS, type JobResult } from "@/lib/jobs/job-runner";

const BATCHES_PER_RUN = 20;

/** The `purge` job: deletes the tenant's requests past its retention period, a batch per transaction. */
export async function runPurgeJob(db: Database, ctx: TenantContext, job: Job): Promise<JobResult> {
  for (let batch = 0; batch < BATCHES_PER_RUN; batch++) {
    const outcome = await purgeExpiredRequests(db, ctx, leaseOf(job));
    if (outcome.skipped === "lost_lease") return { done: false, retryInMs: 0 };
    if (!outcome.more) return { done: true };
    if (!(await renewJobLease(db, leaseOf(job), JOB_LEASE_SECONDS))) return { done: false, retryInMs: 0 };
  }
  return { done: false, retryInMs: 0 };
}
