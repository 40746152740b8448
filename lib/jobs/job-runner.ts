import type { Database } from "@/db/client";
import type { Job } from "@/db/schema";
import { claimDueJobs, completeJob, leaseOf, rescheduleJob } from "@/db/queries/system/jobs";
import { jobContext } from "@/lib/auth/system-context";
import { config } from "@/lib/config/env";
import { jobHandlerFor, leaseSecondsByKind, registeredJobKinds, type JobResult } from "./registry";

/**
 * How long a claimed job belongs to its claimer: longer than one attempt plus one backoff (at most
 * 30 s + 10 s); a run renews it between attempts, so a whole retry policy may take longer. Work run
 * at once (inline) is leased the same way; if its process dies, the worker of any instance takes the
 * job over when the lease runs out, and the old run's writes are fenced out by the new lease token.
 * Read once, here, so claims, inline leases and renewals always agree. Tests shorten it.
 */
export const JOB_LEASE_SECONDS = config().GATEWAY_JOB_LEASE_SECONDS;

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

/**
 * Claims and runs up to `limit` due jobs of the kinds registered in this process (a kind nobody here
 * can run stays due for a process that can); returns how many ran.
 */
export async function runDueJobs(db: Database, limit: number): Promise<number> {
  const claimed = await claimDueJobs(
    db,
    limit,
    { seconds: JOB_LEASE_SECONDS, byKind: leaseSecondsByKind() },
    { kinds: registeredJobKinds() },
  );
  await Promise.all(claimed.map((job) => runJob(db, job)));
  return claimed.length;
}
