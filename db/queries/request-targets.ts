import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  authorizationRequests,
  authorizers,
  jobs,
  requestEvents,
  requestTargets,
  type AuthorizationRequestRow,
  type Job,
  type RequestTarget,
} from "@/db/schema";
import { groupCommit } from "@/db/group-commit";
import { tenantStatement } from "@/db/statement";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { eventsJson, type NewRequestEvent } from "./request-events";
import { forTenant, sameTenant } from "./tenant-scope";

// A request's targets, one per authorizer it was routed to: queued → pending (the authorizer holds
// it) → decided, failed or cancelled. The job runs that move them are fenced by their job's lease.

// The lease fence of a job run's writes (its job found by request, like every hot read): true while the run holds its lease.
const leaseHeld = (job: Job) => sql`exists (select 1 from ${jobs} j
  where j.kind = ${job.kind} and j.request_id = ${job.requestId} and j.target = ${job.target} and j.lease_token = ${job.leaseToken}::uuid)`;

/** A target with its request. */
export async function getTargetWithRequest(
  db: Database,
  ctx: TenantContext,
  requestId: string,
  authorizerId: string,
): Promise<{ request: AuthorizationRequestRow; target: RequestTarget } | null> {
  const [row] = await db
    .select({ request: authorizationRequests, target: requestTargets })
    .from(requestTargets)
    .innerJoin(authorizationRequests, eq(authorizationRequests.requestId, requestTargets.requestId))
    .where(
      forTenant(
        ctx,
        requestTargets.tenantId,
        eq(requestTargets.requestId, requestId),
        eq(requestTargets.authorizerId, authorizerId),
      ),
    );
  return row ?? null;
}

export async function listRequestTargets(db: Database, ctx: TenantContext, requestId: string) {
  return db
    .select()
    .from(requestTargets)
    .where(forTenant(ctx, requestTargets.tenantId, eq(requestTargets.requestId, requestId)));
}

/** What a decision is checked against: the target's spId and signed payload, and whether its authorizer is enabled. */
export async function findDecisionTarget(db: Database, ctx: TenantContext, requestId: string, authorizerId: string) {
  const [target] = await db
    .select({ spId: requestTargets.spId, payload: requestTargets.payload, enabled: authorizers.enabled })
    .from(requestTargets)
    .innerJoin(authorizers, eq(authorizers.id, requestTargets.authorizerId))
    .where(
      forTenant(
        ctx,
        requestTargets.tenantId,
        and(eq(requestTargets.requestId, requestId), eq(requestTargets.authorizerId, authorizerId)),
      ),
    );
  return target ?? null;
}

// The common answer (a human will review): the target is now pending at its authorizer, the
// attempts go to the timeline, a poll is scheduled (soon for poll-only authorizers, otherwise as the
// fallback for an overdue callback) and the submit job is finished (deleted, only while this run holds
// its lease, as completeJob would). One statement for a batch of such answers of one tenant (see
// markTargetPending), so atomic per batch, with each item's events in order. The attempts are
// recorded even when a racing decision already moved the target on, but only ever under a request of
// the caller's tenant.
// Not fenced by the job lease, like a decision: that the authorizer holds the request is a fact
// whichever run heard it, and recording it (only over `queued`) keeps a run that took the job over
// from failing the target, and settling the request, while the authorizer has it.
const markPendingStatement = tenantStatement<{
  requestIds: string[];
  authorizerIds: string[];
  events: string[];
  pollInSeconds: number[];
  leaseTokens: string[];
}>(
  "mark_targets_pending",
  (p) => sql`
  with items as (
    select * from unnest(${p.requestIds}::text[], ${p.authorizerIds}::uuid[], ${p.events}::jsonb[], ${p.pollInSeconds}::float8[], ${p.leaseTokens}::uuid[])
      with ordinality as i(request_id, authorizer_id, events, poll_in, lease_token, n)
  ),
  request as (
    select items.* from items cross join lateral (
      select 1 from ${authorizationRequests}
      where ${authorizationRequests.requestId} = items.request_id and ${sameTenant(authorizationRequests.tenantId, p.tenantId)} limit 1
    ) found
  ),
  target as (
    update ${requestTargets} set state = 'pending', updated_at = now() from items
    where ${requestTargets.requestId} = any(${p.requestIds}::text[])
      and ${requestTargets.requestId} = items.request_id and ${requestTargets.authorizerId} = items.authorizer_id
      and ${sameTenant(requestTargets.tenantId, p.tenantId)} and ${requestTargets.state} = 'queued'
  ),
  timeline as (
    insert into ${requestEvents} (tenant_id, request_id, type, authorizer_id, data)
    select ${p.tenantId}, request.request_id, e.type, e.authorizer_id, e.data
    from request, jsonb_to_recordset(request.events) as e(ord int, type text, authorizer_id uuid, data jsonb)
    order by request.n, e.ord
  ),
  poll as (
    insert into ${jobs} (tenant_id, kind, request_id, target, run_at)
    select ${p.tenantId}, 'poll', request.request_id, request.authorizer_id::text, now() + make_interval(secs => request.poll_in)
    from request
    on conflict (kind, request_id, target) do nothing
  ),
  finished as (
    delete from ${jobs} using items
    where ${jobs.kind} = 'submit' and ${jobs.requestId} = any(${p.requestIds}::text[])
      and ${jobs.requestId} = items.request_id and ${jobs.target} = items.authorizer_id::text
      and ${jobs.leaseToken} = items.lease_token and ${sameTenant(jobs.tenantId, p.tenantId)}
  )
  select 1 as done`,
);

type PendingTarget = {
  requestId: string;
  authorizerId: string;
  events: string;
  pollInSeconds: number;
  leaseToken: string;
};

// Group commit (db/group-commit.ts): under load, one statement and one commit for many submits' answers.
// Losing a waiting item with the process is recoverable: its submit job keeps its lease, runs again when
// that runs out, and the authorizer's `duplicate_request` then reads as pending.
const markPendingBatched = groupCommit<PendingTarget>((db, ctx, items) =>
  markPendingStatement(db, ctx, {
    requestIds: items.map((t) => t.requestId),
    authorizerIds: items.map((t) => t.authorizerId),
    events: items.map((t) => t.events),
    pollInSeconds: items.map((t) => t.pollInSeconds),
    leaseTokens: items.map((t) => t.leaseToken),
  }),
);

/** The submission was accepted (pending at the authorizer): see markPendingStatement. Not inside a transaction. */
export async function markTargetPending(
  db: Database,
  ctx: TenantContext,
  target: { requestId: string; authorizerId: string; events: NewRequestEvent[]; pollInSeconds: number; lease: Job },
): Promise<void> {
  await markPendingBatched(db, ctx, {
    requestId: target.requestId,
    authorizerId: target.authorizerId,
    events: eventsJson(target.events),
    pollInSeconds: target.pollInSeconds,
    leaseToken: target.lease.leaseToken,
  });
}

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
    select id from ${jobs} where kind = 'submit' and request_id = ${p.requestId} and target = ${p.authorizerId}
      and lease_token = ${p.leaseToken}::uuid and ${sameTenant(jobs.tenantId, p.tenantId)}
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
    where request_id = ${p.requestId} and authorizer_id = ${p.authorizerId}::uuid and ${sameTenant(requestTargets.tenantId, p.tenantId)}
      and exists (select 1 from queued)
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

/**
 * The submission failed for good: see recordFailureStatement. `events` holds the attempts, a
 * `submit_failed` (written when the target failed) and a `submit_discarded` (written when the run
 * had lost its lease). True when this run marked the target failed.
 */
export async function recordTargetFailure(
  db: Database,
  ctx: TenantContext,
  target: { requestId: string; authorizerId: string; lastError: string; events: NewRequestEvent[]; lease: Job },
): Promise<boolean> {
  const [row] = await recordFailureStatement<{ failed: boolean }>(db, ctx, {
    leaseToken: target.lease.leaseToken,
    requestId: target.requestId,
    authorizerId: target.authorizerId,
    lastError: target.lastError,
    events: eventsJson(target.events),
  });
  return Boolean(row?.failed);
}

/** Counts a poll of the target (while `lease`, the poll job's run, still holds its lease). */
export async function recordTargetPoll(
  db: Database,
  ctx: TenantContext,
  target: { requestId: string; authorizerId: string; pollCount: number; lease: Job },
): Promise<void> {
  await db
    .update(requestTargets)
    .set({ pollCount: target.pollCount, updatedAt: sql`now()` })
    .where(
      forTenant(
        ctx,
        requestTargets.tenantId,
        and(
          eq(requestTargets.requestId, target.requestId),
          eq(requestTargets.authorizerId, target.authorizerId),
          leaseHeld(target.lease),
        ),
      ),
    );
}

/** The authorizer was told of the cancel (while `lease`, the cancel job's run, still holds its lease). */
export async function markTargetCancelled(
  db: Database,
  ctx: TenantContext,
  target: { requestId: string; authorizerId: string; lease: Job },
): Promise<void> {
  await db
    .update(requestTargets)
    .set({ state: "cancelled", updatedAt: sql`now()` })
    .where(
      forTenant(
        ctx,
        requestTargets.tenantId,
        and(
          eq(requestTargets.requestId, target.requestId),
          eq(requestTargets.authorizerId, target.authorizerId),
          leaseHeld(target.lease),
        ),
      ),
    );
}
