import type { Database } from "@/db/client";
import type { Job } from "@/db/schema";
import { claimDueJobs, completeJob, leaseOf, rescheduleJob } from "@/db/queries/system/jobs";
import { jobContext } from "@/lib/auth/system-context";
import { config } from "@/lib/config/env";
import { jobHandlerFor, leaseSecondsFor, type JobResult } from "./registry";

export { registerJobKind, registerPeriodicTask, type JobHandler, type JobResult } from "./registry";

/**
 * Runs one claimed job with the handler registered for its kind and records its outcome. A handler
 * that throws, or a kind nobody registered, is rescheduled with backoff and the error, never lost;
 * a delivery job it created is run right after, on the same lease. The reschedule or deletion only
 * happens while this run still holds the job's lease (a taken-over run changes nothing).
 */
export async function runJob<Hint>(db: Database, job: Job, hint?: Hint): Promise<void> {
  const ctx = jobContext(job);
  let result: JobResult;
  try {
    const handler = jobHandlerFor(job.kind);
    if (!handler) throw new Error(`no handler is registered for job kind "${job.kind}"`);
    result = await handler(db, ctx, job, hint);
  } catch (error) {
    console.error(`job ${job.id} (${job.kind}) failed`, error instanceof Error ? error.message : error);
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
  const seconds = config().GATEWAY_JOB_LEASE_SECONDS;
  // The claim knows one lease besides the default: the deliver kind's, which outlasts a webhook call.
  const claimed = await claimDueJobs(db, limit, { seconds, deliverSeconds: leaseSecondsFor("deliver") ?? seconds });
  await Promise.all(claimed.map((job) => runJob(db, job)));
  return claimed.length;
}
