import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  authorizationRequests,
  jobs,
  requestEvents,
  requestTargets,
  type Authorizer,
  type AuthorizationRequestRow,
  type Job,
} from "@/db/schema";
import { forTenant } from "@/db/queries/tenant-scope";
import { leaseOf, renewJobLease } from "@/db/queries/jobs";
import { sameTenant, tenantStatement } from "@/db/statement";
import type { TenantContext } from "@/lib/auth/tenant-context";
import {
  isStepAuthError,
  type AttemptReport,
  type AuthorizationRequestPayload,
  type SubmitResult,
} from "@/lib/stepauth";
import { authorizerClientFor, failureKind, LeaseLostError } from "./authorizer-client";
import { applyVerifiedDecision } from "./decisions";
import { finalizeRequest, JOB_LEASE_SECONDS } from "./finalize";
import { appendRequestEvents, attemptEvent, eventsJson, type NewRequestEvent } from "./request-events";
import { loadTenantRuntime, type TenantRuntime } from "./tenant-runtime";
import { settleIfAllTargetsFailed } from "./unavailability";
import type { JobResult } from "@/lib/jobs/job-runner";

export type { JobResult };

// A pending request is polled when its authorizer cannot call back, and also when a callback is overdue.
const POLL_ONLY_FIRST_MS = 1_000;
const CALLBACK_OVERDUE_MS = 30_000;
const MAX_POLL_INTERVAL_MS = 60_000;
// A 429 that names no wait (or one already past) is tried again after a backoff, at least this long.
const MIN_RATE_LIMIT_WAIT_MS = 1_000;

/** Renews the run's job lease between two attempts; false once another run has taken the job over. */
const leaseRenewal = (db: Database, job: Job) => () => renewJobLease(db, leaseOf(job), JOB_LEASE_SECONDS);

// The lease fence of a job run's writes (its job found by request, like every hot read): true while the run holds its lease.
const leaseHeld = (job: Job) => sql`exists (select 1 from ${jobs} j
  where j.kind = ${job.kind} and j.request_id = ${job.requestId} and j.target = ${job.target} and j.lease_token = ${job.leaseToken}::uuid)`;

async function loadTargetState(db: Database, ctx: TenantContext, job: Job) {
  const [row] = await db
    .select({ request: authorizationRequests, target: requestTargets })
    .from(requestTargets)
    .innerJoin(authorizationRequests, eq(authorizationRequests.requestId, requestTargets.requestId))
    .where(
      forTenant(
        ctx,
        requestTargets.tenantId,
        eq(requestTargets.requestId, job.requestId),
        eq(requestTargets.authorizerId, job.target),
      ),
    );
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

// The common answer (a human will review): the target is now pending at its authorizer, the
// attempts go to the timeline, a poll is scheduled (soon for poll-only authorizers, otherwise
// as the fallback for an overdue callback) and the submit job is finished (deleted, only while this
// run holds its lease, as completeJob would). One statement, so atomic and one round trip. The attempts
// are recorded even when a racing decision already moved the target on, but only ever under a request
// of the caller's tenant.
// Not fenced by the job lease, like a decision: that the authorizer holds the request is a fact
// whichever run heard it, and recording it (only over `queued`) keeps a run that took the job over
// from failing the target, and settling the request, while the authorizer has it.
const markPendingStatement = tenantStatement<{
  requestId: string;
  authorizerId: string;
  events: string;
  pollInSeconds: number;
  leaseToken: string;
}>(
  "mark_target_pending",
  (p) => sql`
  with request as (
    select request_id from ${authorizationRequests} where request_id = ${p.requestId} and ${sameTenant(authorizationRequests.tenantId, p.tenantId)}
  ),
  target as (
    update ${requestTargets} set state = 'pending', updated_at = now()
    where request_id = ${p.requestId} and authorizer_id = ${p.authorizerId}::uuid and ${sameTenant(requestTargets.tenantId, p.tenantId)} and state = 'queued'
  ),
  timeline as (
    insert into ${requestEvents} (tenant_id, request_id, type, authorizer_id, data)
    select ${p.tenantId}, request.request_id, e.type, e.authorizer_id, e.data
    from request, jsonb_to_recordset(${p.events}::jsonb) as e(ord int, type text, authorizer_id uuid, data jsonb) order by e.ord
  ),
  poll as (
    insert into ${jobs} (tenant_id, kind, request_id, target, run_at)
    select ${p.tenantId}, 'poll', request.request_id, ${p.authorizerId}, now() + make_interval(secs => ${p.pollInSeconds}::double precision) from request
    on conflict (kind, request_id, target) do nothing
  ),
  finished as (
    delete from ${jobs} where kind = 'submit' and request_id = ${p.requestId} and target = ${p.authorizerId}::text and lease_token = ${p.leaseToken}::uuid
  )
  select 1 as done`,
);

// A target that failed for good: `failed` with the failure, only if it is still `queued` (never over
// another run's `pending`) and only while this run holds its job lease. The job row and then the
// target row are locked with SKIP LOCKED, so nobody can claim the job between the check and the
// write, and the statement never waits on a lock (no deadlock with a decision's write): a row
// someone else holds means the run has lost, and writes nothing but its attempts and why.
const recordFailureStatement = tenantStatement<{
  leaseToken: string;
  requestId: string;
  authorizerId: string;
  lastError: string;
  events: string;
}>(
  "record_target_failure",
  (p) => sql`
  with request as (
    select request_id from ${authorizationRequests} where request_id = ${p.requestId} and ${sameTenant(authorizationRequests.tenantId, p.tenantId)}
  ),
  lease as (
    select id from ${jobs} where kind = 'submit' and request_id = ${p.requestId} and target = ${p.authorizerId} and lease_token = ${p.leaseToken}::uuid
    for update skip locked
  ),
  queued as (
    select authorizer_id from ${requestTargets}
    where request_id = ${p.requestId} and authorizer_id = ${p.authorizerId}::uuid and ${sameTenant(requestTargets.tenantId, p.tenantId)} and state = 'queued'
      and exists (select 1 from lease)
    for update skip locked
  ),
  target as (
    update ${requestTargets} set state = 'failed', last_error = ${p.lastError}, updated_at = now()
    where request_id = ${p.requestId} and authorizer_id = ${p.authorizerId}::uuid and exists (select 1 from queued)
    returning authorizer_id
  ),
  timeline as (
    insert into ${requestEvents} (tenant_id, request_id, type, authorizer_id, data)
    select ${p.tenantId}, request.request_id, e.type, e.authorizer_id, e.data
    from request, jsonb_to_recordset(${p.events}::jsonb) as e(ord int, type text, authorizer_id uuid, data jsonb)
    where e.type = 'authorizer_attempt'
      or (e.type = 'submit_failed' and exists (select 1 from target))
      or (e.type = 'submit_discarded' and not exists (select 1 from lease))
    order by e.ord
  )
  select exists (select 1 from target) as failed`,
);

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
    await markPendingStatement(db, ctx, {
      requestId: job.requestId,
      authorizerId: state.authorizer.id,
      events: eventsJson(timeline),
      pollInSeconds: (state.authorizer.pollOnly ? POLL_ONLY_FIRST_MS : CALLBACK_OVERDUE_MS) / 1000,
      leaseToken: job.leaseToken,
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
 * at the Retry-After, durably, unless that is past the request's expiry (then the expiry job ends it);
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
  const [row] = await recordFailureStatement<{ failed: boolean }>(db, ctx, {
    leaseToken: job.leaseToken,
    requestId: job.requestId,
    authorizerId,
    lastError: `${failure.kind}:${failure.code}`,
    events: eventsJson(timeline),
  });
  if (!row?.failed) return { done: true };
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
      await tx
        .update(requestTargets)
        .set({ pollCount, updatedAt: sql`now()` })
        .where(
          forTenant(
            ctx,
            requestTargets.tenantId,
            and(
              eq(requestTargets.requestId, job.requestId),
              eq(requestTargets.authorizerId, state.authorizer.id),
              leaseHeld(job),
            ),
          ),
        );
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
      await tx
        .update(requestTargets)
        .set({ state: "cancelled", updatedAt: sql`now()` })
        .where(
          forTenant(
            ctx,
            requestTargets.tenantId,
            and(
              eq(requestTargets.requestId, job.requestId),
              eq(requestTargets.authorizerId, state.authorizer.id),
              leaseHeld(job),
            ),
          ),
        );
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

/** Ends a request still pending at its expiry: `expired`, not denied (a timeout is not a human no). */
export async function runExpireJob(db: Database, ctx: TenantContext, job: Job): Promise<JobResult> {
  const expired = await finalizeRequest(db, ctx, {
    requestId: job.requestId,
    status: "expired",
    statusReason: "expired",
    source: "expiry",
    condition: { kind: "expiry" },
    events: [{ type: "expired" }],
  });
  if (expired) return { done: true, followUp: expired.deliveryJob };
  const [request] = await db
    .select({ status: authorizationRequests.status, expiresAt: authorizationRequests.expiresAt })
    .from(authorizationRequests)
    .where(forTenant(ctx, authorizationRequests.tenantId, eq(authorizationRequests.requestId, job.requestId)));
  // Still pending but not yet due (clock skew between instances): look again shortly.
  if (request?.status === "pending")
    return { done: false, retryInMs: Math.max(250, request.expiresAt.getTime() - Date.now()) };
  return { done: true };
}
