import type { Database } from "@/db/client";
import type { Authorizer, AuthorizationRequestRow, Job } from "@/db/schema";
import { leaseOf, renewJobLease } from "@/db/queries/system/jobs";
import { appendRequestEvents, attemptEvent, type NewRequestEvent } from "@/db/queries/request-events";
import {
  getTargetWithRequest,
  markTargetCancelled,
  markTargetPending,
  recordTargetFailure,
  recordTargetPoll,
} from "@/db/queries/request-targets";
import type { TenantContext } from "@/lib/auth/tenant-context";
import {
  isStepAuthError,
  type AttemptReport,
  type AuthorizationRequestPayload,
  type SubmitResult,
} from "@/lib/stepauth";
import { authorizerClientFor, failureKind, LeaseLostError } from "./authorizer-client";
import { applyVerifiedDecision } from "./decisions";
import { finalizeRequest } from "./finalize";
import { loadTenantRuntime, type TenantRuntime } from "./tenant-runtime";
import { settleIfAllTargetsFailed } from "./unavailability";
import { JOB_LEASE_SECONDS, type JobResult } from "@/lib/jobs/job-runner";

// A pending request is polled when its authorizer cannot call back, and also when a callback is overdue.
const POLL_ONLY_FIRST_MS = 1_000;
const CALLBACK_OVERDUE_MS = 30_000;
const MAX_POLL_INTERVAL_MS = 60_000;
// A 429 that names no wait (or one already past) is tried again after a backoff, at least this long.
const MIN_RATE_LIMIT_WAIT_MS = 1_000;

/** Renews the run's job lease between two attempts; false once another run has taken the job over. */
const leaseRenewal = (db: Database, job: Job) => () => renewJobLease(db, leaseOf(job), JOB_LEASE_SECONDS);

async function loadTargetState(db: Database, ctx: TenantContext, job: Job) {
  const row = await getTargetWithRequest(db, ctx, job.requestId, job.target);
  if (!row) return null;
  const runtime = await loadTenantRuntime(db, ctx);
  const authorizer = runtime.authorizers.find((a) => a.id === job.target);
  return authorizer ? { ...row, runtime, authorizer } : null;
}

/**
 * What the submitting request already holds in memory, so its inline run reads nothing again, and
 * what that run wrote, so the answer is composed without reading the request back. `unknown` when
 * the run took a path whose writes it does not track (a refusal, a failure, a webhook delivery):
 * the answer is then read from the database.
 */
export interface SubmitHint {
  runtime: TenantRuntime;
  request: AuthorizationRequestRow;
  /** Each target's request, validated and serialised once (see authorizationRequestPayload). */
  payloads: Map<string, AuthorizationRequestPayload>;
  written: { request: AuthorizationRequestRow; targetStates: Map<string, "pending" | "decided">; unknown: boolean };
}

function stateFromHint(hint: SubmitHint, job: Job) {
  const authorizer = hint.runtime.authorizers.find((a) => a.id === job.target);
  const payload = hint.payloads.get(job.target);
  return authorizer && payload
    ? {
        request: hint.request,
        target: { state: "queued" as const, payload: payload.json },
        runtime: hint.runtime,
        authorizer,
        validated: payload,
      }
    : null;
}

/** Submits a request to one authorizer (with the retries of the tenant's policy). */
export async function runSubmitJob(db: Database, ctx: TenantContext, job: Job, hint?: SubmitHint): Promise<JobResult> {
  const state = hint ? stateFromHint(hint, job) : await loadTargetState(db, ctx, job);
  if (!state || state.request.status !== "pending" || state.target.state !== "queued") return { done: true };
  // Disabled (the kill switch): its cancel job settles the request; nothing more is sent to it.
  if (!state.authorizer.enabled) return { done: true };
  const attempts: AttemptReport[] = [];
  let result: SubmitResult;
  try {
    result = await authorizerClientFor(
      state.runtime,
      state.authorizer,
      attempts,
      undefined,
      leaseRenewal(db, job),
    ).submit("validated" in state ? state.validated : JSON.parse(state.target.payload));
  } catch (error) {
    // A re-run after a crash: the first run's submission arrived, so the authorizer knows the request.
    if (isStepAuthError(error, "duplicate_request") && job.attempts > 1)
      result = { status: "pending", requestId: job.requestId };
    else {
      if (hint) hint.written.unknown = true;
      return submitFailed(db, ctx, job, state, attempts, error);
    }
  }
  const events = attempts.map((a) => attemptEvent(state.authorizer.id, a));
  if (result.status === "pending") {
    const timeline: NewRequestEvent[] = [
      ...events,
      { type: "submitted", authorizerId: state.authorizer.id, data: { status: "pending" } },
    ];
    // The common answer (a human will review): the target is pending at its authorizer, a poll is
    // scheduled (soon for poll-only authorizers, otherwise as the fallback for an overdue callback).
    await markTargetPending(db, ctx, {
      requestId: job.requestId,
      authorizerId: state.authorizer.id,
      events: timeline,
      pollInSeconds: (state.authorizer.pollOnly ? POLL_ONLY_FIRST_MS : CALLBACK_OVERDUE_MS) / 1000,
      lease: job,
    });
    hint?.written.targetStates.set(state.authorizer.id, "pending");
    return { done: true, jobClosed: true };
  }
  const outcome = await applyVerifiedDecision(db, ctx, state.authorizer, result, "submit", {
    events: [...events, { type: "submitted", authorizerId: state.authorizer.id, data: { status: "decided" } }],
  });
  if (hint) {
    if (outcome.outcome === "accepted" && !outcome.deliveryJob) {
      hint.written.request = outcome.request;
      hint.written.targetStates.set(state.authorizer.id, "decided");
    } else hint.written.unknown = true;
  }
  // An accepted decision finished (deleted) this request's submit jobs (this one included) in its own statement.
  return outcome.outcome === "accepted"
    ? { done: true, followUp: outcome.deliveryJob, jobClosed: true }
    : { done: true };
}

/**
 * What a submission that got no answer does. Rate-limited (reachable, only busy): the job comes back
 * at the Retry-After, durably, unless that is past the request's expiry (then the expiry sweep ends it);
 * the target stays queued, so it never counts towards fail-open or a fail-closed denial. A run that lost
 * its lease stops and writes nothing. Otherwise the target failed, which may settle the request.
 */
async function submitFailed(
  db: Database,
  ctx: TenantContext,
  job: Job,
  state: { request: AuthorizationRequestRow; runtime: TenantRuntime; authorizer: Authorizer },
  attempts: AttemptReport[],
  error: unknown,
): Promise<JobResult> {
  const authorizerId = state.authorizer.id;
  const events = attempts.map((a) => attemptEvent(authorizerId, a));
  if (error instanceof LeaseLostError) {
    // The job row is the other run's now (a reschedule or completion by this run would change nothing).
    await appendRequestEvents(db, ctx, job.requestId, [
      ...events,
      { type: "submit_discarded", authorizerId, data: { reason: "lease_lost" } },
    ]);
    return { done: true };
  }
  const failure = failureKind(error);
  if (failure.kind === "rate_limited") {
    const retryInMs = Math.max(
      MIN_RATE_LIMIT_WAIT_MS,
      failure.retryAfterMs ?? Math.min(MAX_POLL_INTERVAL_MS, 1_000 * 2 ** job.attempts),
    );
    const retryAt = new Date(Date.now() + retryInMs);
    const pastExpiry = retryAt >= state.request.expiresAt;
    await appendRequestEvents(db, ctx, job.requestId, [
      ...events,
      {
        type: "submit_deferred",
        authorizerId,
        data: {
          code: failure.code,
          retryInMs,
          retryAt: pastExpiry ? null : retryAt.toISOString(),
          untilExpiry: pastExpiry,
        },
      },
    ]);
    return pastExpiry ? { done: true } : { done: false, retryInMs, error: failure.code };
  }
  const timeline: NewRequestEvent[] = [
    ...events,
    { type: "submit_failed", authorizerId, data: { kind: failure.kind, code: failure.code, message: failure.message } },
    { type: "submit_discarded", authorizerId, data: { reason: "lease_lost", kind: failure.kind, code: failure.code } },
  ];
  const failed = await recordTargetFailure(db, ctx, {
    requestId: job.requestId,
    authorizerId,
    lastError: `${failure.kind}:${failure.code}`,
    events: timeline,
    lease: job,
  });
  if (!failed) return { done: true };
  const settlement = await settleIfAllTargetsFailed(db, ctx, state.runtime, job.requestId, job.leaseToken);
  if (settlement.allFailed) return { done: true, followUp: settlement.deliveryJob };
  // Not every target failed, but the rest may be at disabled authorizers: then the kill switch denies.
  return { done: true, followUp: (await denyWithoutLiveTarget(db, ctx, job.requestId))?.deliveryJob ?? null };
}

/** Polls one authorizer for a pending request; backs off until a decision or expiry. */
export async function runPollJob(db: Database, ctx: TenantContext, job: Job): Promise<JobResult> {
  const state = await loadTargetState(db, ctx, job);
  if (!state || state.request.status !== "pending" || state.target.state !== "pending") return { done: true };
  if (state.request.expiresAt.getTime() <= Date.now() || !state.authorizer.enabled) return { done: true };
  const attempts: AttemptReport[] = [];
  const pollCount = state.target.pollCount + 1;
  const backoff = Math.min(MAX_POLL_INTERVAL_MS, 2_000 * 2 ** Math.min(pollCount, 10));
  try {
    const result = await authorizerClientFor(state.runtime, state.authorizer, attempts, { maxAttempts: 1 }).poll(
      job.requestId,
    );
    await db.transaction(async (tx) => {
      await recordTargetPoll(tx, ctx, {
        requestId: job.requestId,
        authorizerId: state.authorizer.id,
        pollCount,
        lease: job,
      });
      await appendRequestEvents(
        tx,
        ctx,
        job.requestId,
        attempts.map((a) => attemptEvent(state.authorizer.id, a)),
      );
    });
    if (result.status === "pending") return { done: false, retryInMs: backoff };
    const outcome = await applyVerifiedDecision(db, ctx, state.authorizer, result, "poll");
    return outcome.outcome === "accepted"
      ? { done: true, followUp: outcome.deliveryJob, jobClosed: true }
      : { done: true };
  } catch (error) {
    await appendRequestEvents(
      db,
      ctx,
      job.requestId,
      attempts.map((a) => attemptEvent(state.authorizer.id, a)),
    );
    const failure = failureKind(error);
    // A busy authorizer named its wait: poll no sooner.
    return { done: false, retryInMs: Math.max(backoff, failure.retryAfterMs ?? 0), error: failure.message };
  }
}

/**
 * Sends a signed cancel to an authorizer the request went to; a decision it answers with is audited.
 * For a disabled authorizer (the kill switch) it first denies the request if no live target is left.
 */
export async function runCancelJob(db: Database, ctx: TenantContext, job: Job): Promise<JobResult> {
  const state = await loadTargetState(db, ctx, job);
  if (!state || !["queued", "pending"].includes(state.target.state)) return { done: true };
  const denial = state.authorizer.enabled ? null : await denyWithoutLiveTarget(db, ctx, job.requestId);
  const attempts: AttemptReport[] = [];
  try {
    const result = await authorizerClientFor(
      state.runtime,
      state.authorizer,
      attempts,
      { maxAttempts: 2 },
      leaseRenewal(db, job),
    ).cancel(job.requestId);
    await db.transaction(async (tx) => {
      await markTargetCancelled(tx, ctx, { requestId: job.requestId, authorizerId: state.authorizer.id, lease: job });
      await appendRequestEvents(tx, ctx, job.requestId, [
        ...attempts.map((a) => attemptEvent(state.authorizer.id, a)),
        { type: "cancel_sent", authorizerId: state.authorizer.id, data: { answer: result.status } },
      ]);
    });
    // The other authorizer decided too: applying it records the refusal (the request is already final).
    if (result.status === "already_decided")
      await applyVerifiedDecision(db, ctx, state.authorizer, { ...result, status: "decided" }, "cancel");
    return { done: true, followUp: denial?.deliveryJob ?? null };
  } catch (error) {
    await appendRequestEvents(
      db,
      ctx,
      job.requestId,
      attempts.map((a) => attemptEvent(state.authorizer.id, a)),
    );
    const failure = failureKind(error);
    if (error instanceof LeaseLostError || failure.kind === "rejected" || job.attempts >= 8)
      return { done: true, followUp: denial?.deliveryJob ?? null };
    return {
      done: false,
      retryInMs: Math.max(Math.min(300_000, 5_000 * 2 ** job.attempts), failure.retryAfterMs ?? 0),
      error: failure.message,
    };
  }
}

// Never fail-open: a request whose every open target is at a disabled authorizer is denied.
function denyWithoutLiveTarget(db: Database, ctx: TenantContext, requestId: string) {
  return finalizeRequest(db, ctx, {
    requestId,
    status: "denied",
    statusReason: "authorizer_disabled",
    source: "kill_switch",
    condition: { kind: "no_live_target" },
    events: [{ type: "decided_without_authorizer", data: { decision: "denied", reason: "authorizer_disabled" } }],
  });
}
