import type { Database } from "@/db/client";
import type { Job } from "@/db/schema";
import {
  loadExecutionState,
  markResultReported,
  markResultReportsUnsupported,
  resultReportsUnsupportedSince,
} from "@/db/queries/executions";
import { leaseOf, renewJobLease } from "@/db/queries/system/jobs";
import type { TenantContext } from "@/lib/auth/tenant-context";
import type { AttemptReport, ExecutionResultReport } from "@/lib/stepauth";
import { authorizerClientFor, failureKind, LeaseLostError } from "./authorizer-client";
import { JOB_LEASE_SECONDS, type JobResult } from "@/lib/jobs/job-runner";
import { appendRequestEvents, attemptEvent, type NewRequestEvent } from "@/db/queries/request-events";
import { loadTenantRuntime } from "./tenant-runtime";

// Like a submission: the retry policy within a run, then durable reschedules with backoff.
const MAX_REPORT_RUNS = 8;

/**
 * The `report` job: tells the authorizer whose decision approved a request how its execution ended
 * (PROTOCOL.md "Result report"), signed with the tenant's keys like a submission. Once per execution
 * (`executions.result_reported_at`, also set when the callback answered the result itself); an
 * authorizer answering 404/405/501 without `unknown_request` is remembered as not implementing
 * result reports and never asked again. Every write is fenced by the job's lease.
 */
export async function runReportJob(db: Database, ctx: TenantContext, job: Job): Promise<JobResult> {
  const state = await loadExecutionState(db, ctx, job.requestId);
  const execution = state?.execution;
  if (!execution || execution.status === "executing" || execution.resultReportedAt) return { done: true };
  const runtime = await loadTenantRuntime(db, ctx);
  const authorizer = runtime.authorizers.find((a) => a.id === job.target);
  if (!authorizer) return { done: true };
  const record = (via: "result_report" | "unsupported", events: NewRequestEvent[]) =>
    db.transaction(async (tx) => {
      if (await markResultReported(tx, ctx, job.requestId, via, job))
        await appendRequestEvents(tx, ctx, job.requestId, events);
    });
  if (await resultReportsUnsupportedSince(db, ctx, authorizer.id)) {
    await record("unsupported", [
      {
        type: "result_report_skipped",
        authorizerId: authorizer.id,
        data: { reason: "the authorizer does not implement result reports" },
      },
    ]);
    return { done: true };
  }
  const report: ExecutionResultReport =
    execution.status === "succeeded"
      ? {
          requestId: job.requestId,
          status: "success",
          ...(execution.finishedAt ? { executedAt: execution.finishedAt.toISOString() } : {}),
        }
      : {
          requestId: job.requestId,
          status: "error",
          ...(execution.error ? { error: execution.error.slice(0, 4000) } : {}),
        };
  const attempts: AttemptReport[] = [];
  const attemptEvents = () => attempts.map((a) => attemptEvent(authorizer.id, a));
  try {
    const renew = () => renewJobLease(db, leaseOf(job), JOB_LEASE_SECONDS);
    const outcome = await authorizerClientFor(runtime, authorizer, attempts, undefined, renew).reportResult(report);
    if (outcome.status === "recorded") {
      await record("result_report", [
        ...attemptEvents(),
        { type: "result_reported", authorizerId: authorizer.id, data: { status: report.status } },
      ]);
    } else if (outcome.status === "unsupported") {
      await db.transaction(async (tx) => {
        await markResultReportsUnsupported(tx, ctx, authorizer.id, job);
        if (await markResultReported(tx, ctx, job.requestId, "unsupported", job)) {
          await appendRequestEvents(tx, ctx, job.requestId, [
            ...attemptEvents(),
            {
              type: "result_reports_unsupported",
              authorizerId: authorizer.id,
              data: { httpStatus: outcome.httpStatus, note: "not asked again" },
            },
          ]);
        }
      });
    } else {
      await appendRequestEvents(db, ctx, job.requestId, [
        ...attemptEvents(),
        { type: "result_report_failed", authorizerId: authorizer.id, data: { error: "unknown_request" } },
      ]);
    }
    return { done: true };
  } catch (error) {
    const failure = failureKind(error);
    const final = error instanceof LeaseLostError || failure.kind === "rejected" || job.attempts >= MAX_REPORT_RUNS;
    await appendRequestEvents(db, ctx, job.requestId, [
      ...attemptEvents(),
      ...(final
        ? [{ type: "result_report_failed" as const, authorizerId: authorizer.id, data: { error: failure.message } }]
        : []),
    ]);
    if (final) return { done: true };
    return {
      done: false,
      retryInMs: Math.max(Math.min(300_000, 5_000 * 2 ** job.attempts), failure.retryAfterMs ?? 0),
      error: failure.message,
    };
  }
}
