import type { Database } from "@/db/client";
import type { Job } from "@/db/schema";
import { enqueueDueSealJobs } from "@/db/queries/system/audit-seal-jobs";
import { enqueueDuePurgeJobs } from "@/db/queries/system/retention-jobs";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { config } from "@/lib/config/env";
import { registerJobKind, registerPeriodicTask, type JobResult } from "@/lib/jobs/job-runner";
import { runSealJob } from "./audit-seal-job";
import { runCancelJob, runPollJob, runSubmitJob, type SubmitHint } from "./authorizer-jobs";
import { expireOverdueRequests } from "./expiry";
import { DELIVERY_LEASE_SECONDS } from "./finalize";
import { runReportJob } from "./result-report";
import { runPurgeJob } from "./retention-job";
import { deliverWebhook } from "./webhook-delivery";

// The gateway's job kinds and periodic work, registered with the neutral job runner once this
// module is imported: by instrumentation.ts (the worker), /api/cron/tick, and the gateway's own
// modules that run jobs inline, which import runJob from here so the kinds are always registered.

async function runDeliverJob(db: Database, ctx: TenantContext, job: Job): Promise<JobResult> {
  const { done } = await deliverWebhook(db, ctx, job.requestId, job.attempts, job);
  return done ? { done: true } : { done: false, retryInMs: Math.min(15 * 60_000, 5_000 * 2 ** (job.attempts - 1)) };
}

// A submit that failed took a path whose writes its hint does not track: the answer is read back.
async function runSubmitJobWithHint(db: Database, ctx: TenantContext, job: Job, hint?: SubmitHint) {
  try {
    return await runSubmitJob(db, ctx, job, hint);
  } catch (error) {
    if (hint) hint.written.unknown = true;
    throw error;
  }
}

registerJobKind("submit", runSubmitJobWithHint);
registerJobKind("poll", runPollJob);
registerJobKind("cancel", runCancelJob);
// Expiry jobs are no more (the sweep below ends overdue requests); one an older version queued during
// an upgrade is finished unrun, its request ended by the sweep.
registerJobKind("expire", async () => ({ done: true }));
registerJobKind("deliver", runDeliverJob, { leaseSeconds: DELIVERY_LEASE_SECONDS });
registerJobKind("report", runReportJob);
registerJobKind("seal", runSealJob);
registerJobKind("purge", runPurgeJob);

registerPeriodicTask("expire overdue requests", (db) => expireOverdueRequests(db), { everyMs: 1000 });

// The jobs it queues are counted when they run.
registerPeriodicTask(
  "queue audit seal and retention purge jobs",
  async (db) => {
    await enqueueDueSealJobs(db);
    await enqueueDuePurgeJobs(db);
    return 0;
  },
  { everyMs: config().AUDIT_SEAL_INTERVAL_SECONDS * 1000 },
);

export { runJob } from "@/lib/jobs/job-runner";
