import type { Database } from "@/db/client";
import type { Job } from "@/db/schema";
import { sealAuditBatch } from "@/db/queries/audit-seal";
import { leaseOf, renewJobLease } from "@/db/queries/system/jobs";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { JOB_LEASE_SECONDS, type JobResult } from "@/lib/jobs/job-runner";
import { config } from "@/lib/config/env";

/** Entries per checkpoint: bounds one seal's transaction and memory. */
export const SEAL_BATCH = config().AUDIT_SEAL_BATCH;
/** Checkpoints one run may write before it yields the worker to other jobs. */
const BATCHES_PER_RUN = 20;

/**
 * The `seal` job: seals the tenant's unsealed audit entries into signed checkpoints, a batch per
 * checkpoint, each batch only while this run holds the job's lease. Entries that were still
 * uncommitted are sealed by the next run (the worker queues one whenever entries wait).
 */
export async function runSealJob(db: Database, ctx: TenantContext, job: Job): Promise<JobResult> {
  for (let batch = 0; batch < BATCHES_PER_RUN; batch++) {
    const outcome = await sealAuditBatch(db, ctx, leaseOf(job), SEAL_BATCH);
    if (outcome.skipped === "lost_lease") return { done: false, retryInMs: 0 };
    // No active key: nothing can be signed; try again later (the console shows unsealed entries).
    if (outcome.skipped === "no_active_key") return { done: false, retryInMs: 300_000, error: "no active signing key" };
    if (!outcome.more) return { done: true };
    if (!(await renewJobLease(db, leaseOf(job), JOB_LEASE_SECONDS))) return { done: false, retryInMs: 0 };
  }
  return { done: false, retryInMs: 0 };
}
