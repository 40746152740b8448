import type { Database } from "@/db/client";
import type { Job, JobKind } from "@/db/schema";
import { claimDueJobs, completeJob, leaseOf, rescheduleJob } from "@/db/queries/jobs";
import { jobContext } from "@/lib/auth/system-context";
import type { TenantContext } from "@/lib/auth/tenant-context";
import {
  runCancelJob,
  runExpireJob,
  runPollJob,
  runSubmitJob,
  type JobResult,
  type SubmitHint,
} from "@/lib/gateway/authorizer-jobs";
import { runSealJob } from "@/lib/gateway/audit-seal-job";
import { DELIVERY_LEASE_SECONDS, JOB_LEASE_SECONDS } from "@/lib/gateway/finalize";
import { runReportJob } from "@/lib/gateway/result-report";
import { runPurgeJob } from "@/lib/gateway/retention-job";
import { deliverWebhook } from "@/lib/gateway/webhook-delivery";

async function runDeliverJob(db: Database, ctx: TenantContext, job: Job): Promise<JobResult> {
  const { done } = await deliverWebhook(db, ctx, job.requestId, job.attempts, job);
  return done ? { done: true } : { done: false, retryInMs: Math.min(15 * 60_000, 5_000 * 2 ** (job.attempts - 1)) };
}

// Job kinds are data: adding one is a row here and a handler.
const handlers: Record<JobKind, (db: Database, ctx: TenantContext, job: Job) => Promise<JobResult>> = {
  submit: runSubmitJob,
  poll: runPollJob,
  cancel: runCancelJob,
  expire: runExpireJob,
  deliver: runDeliverJob,
  report: runReportJob,
  seal: runSealJob,
  purge: runPurgeJob,
};

/**
 * Runs one claimed job and records its outcome. A handler that throws is rescheduled with backoff,
 * never lost; a delivery job it created is run right after, on the same lease. The reschedule or
 * deletion only happens while this run still holds the job's lease (a taken-over run changes nothing).
 */
export async function runJob(db: Database, job: Job, hint?: SubmitHint): Promise<void> {
  const ctx = jobContext(job);
  let result: JobResult;
  try {
    result =
      job.kind === "submit" && hint ? await runSubmitJob(db, ctx, job, hint) : await handlers[job.kind](db, ctx, job);
  } catch (error) {
    console.error(`job ${job.id} (${job.kind}) failed`, error instanceof Error ? error.message : error);
    if (hint) hint.written.unknown = true;
    result = {
      done: false,
      retryInMs: Math.min(300_000, 1_000 * 2 ** job.attempts),
      error: error instanceof Error ? error.message : String(error),
    };
  }
  if (!result.done) await rescheduleJob(db, leaseOf(job), result.retryInMs, result.error);
  else if (!result.jobClosed) await completeJob(db, leaseOf(job));
  if (result.done && result.followUp) await runJob(db, result.followUp);
}

/** Claims and runs up to `limit` due jobs concurrently; returns how many ran. */
export async function runDueJobs(db: Database, limit: number): Promise<number> {
  const claimed = await claimDueJobs(db, limit, { seconds: JOB_LEASE_SECONDS, deliverSeconds: DELIVERY_LEASE_SECONDS });
  await Promise.all(claimed.map((job) => runJob(db, job)));
  return claimed.length;
}
