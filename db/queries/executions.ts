import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  authorizationRequests,
  authorizers,
  executions,
  jobs,
  requestTargets,
  type Execution,
  type Job,
} from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { forTenant, tenantIdOf } from "./tenant-scope";

// The execution of an approved request: claimed once (the primary key is the claim), finished once
// (every update is conditional on `executing`), and its result reported once to the deciding authorizer.

export type ExecutionChannel = "api" | "webhook" | "window_closed";
export type ExecutionResult = { status: "success" } | { status: "error"; error: string };

/** The request, its deciding authorizer's signed payload (null without one) and its execution, if any. */
export async function loadExecutionState(db: Database, ctx: TenantContext, requestId: string) {
  const [request] = await db
    .select()
    .from(authorizationRequests)
    .where(forTenant(ctx, authorizationRequests.tenantId, eq(authorizationRequests.requestId, requestId)));
  if (!request) return null;
  const [target] = request.decisionAuthorizerId
    ? await db
        .select({ payload: requestTargets.payload })
        .from(requestTargets)
        .where(
          forTenant(
            ctx,
            requestTargets.tenantId,
            eq(requestTargets.requestId, requestId),
            eq(requestTargets.authorizerId, request.decisionAuthorizerId),
          ),
        )
    : [];
  const [execution] = await db
    .select()
    .from(executions)
    .where(forTenant(ctx, executions.tenantId, eq(executions.requestId, requestId)));
  return { request, signedPayload: target?.payload ?? null, execution: execution ?? null };
}

/**
 * The one conditional insert that claims an execution: a row is returned to exactly one caller,
 * whatever races. `result` records an execution that is already over (a webhook answer with no claim
 * before it, or a claim refused because the window closed).
 */
export async function insertExecution(
  db: Database,
  ctx: TenantContext,
  requestId: string,
  channel: ExecutionChannel,
  result?: ExecutionResult,
) {
  const r = authorizationRequests;
  const finished = result
    ? {
        status: sql<string>`${result.status === "success" ? "succeeded" : "failed"}::execution_status`,
        error: sql<string | null>`${result.status === "error" ? result.error : null}::text`,
        finishedAt: sql<Date | null>`now()`,
      }
    : { status: sql<string>`'executing'::execution_status`, error: sql<null>`null`, finishedAt: sql<null>`null` };
  // INSERT … SELECT from the tenant's request: another tenant's request id claims nothing.
  const [row] = await db
    .insert(executions)
    .select((qb) =>
      qb
        .select({
          requestId: r.requestId,
          tenantId: r.tenantId,
          channel: sql<string>`${channel}::text`.as("channel"),
          status: finished.status.as("status"),
          error: finished.error.as("error"),
          claimedAt: sql<Date>`now()`.as("claimed_at"),
          finishedAt: finished.finishedAt.as("finished_at"),
          resultReportedAt: sql<null>`null`.as("result_reported_at"),
          resultReportedVia: sql<null>`null`.as("result_reported_via"),
        })
        .from(r)
        .where(forTenant(ctx, r.tenantId, eq(r.requestId, requestId))),
    )
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

/**
 * The API claim: inserts the `executing` row only while the request is approved and its execution
 * window is open by the database's clock (`execution_closes_at > now()`, the same clock that set it),
 * in one statement. An approval without `execution_closes_at` never came through a decision path
 * (finalize sets it for every approval; e.g. the bench floor's unverified row) and is never claimable.
 * Null when nothing was inserted: already claimed, window closed, or not claimable.
 */
export async function claimExecutionInWindow(db: Database, ctx: TenantContext, requestId: string) {
  const r = authorizationRequests;
  const [row] = await db
    .insert(executions)
    .select((qb) =>
      qb
        .select({
          requestId: r.requestId,
          tenantId: r.tenantId,
          channel: sql<string>`'api'`.as("channel"),
          status: sql<"executing">`'executing'::execution_status`.as("status"),
          error: sql<null>`null`.as("error"),
          claimedAt: sql<Date>`now()`.as("claimed_at"),
          finishedAt: sql<null>`null`.as("finished_at"),
          resultReportedAt: sql<null>`null`.as("result_reported_at"),
          resultReportedVia: sql<null>`null`.as("result_reported_via"),
        })
        .from(r)
        .where(
          forTenant(
            ctx,
            r.tenantId,
            eq(r.requestId, requestId),
            eq(r.status, "approved"),
            sql`${r.executionClosesAt} > now()`,
          ),
        ),
    )
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

/** Records the result of an execution still `executing`; null when it was already finished (or never claimed). */
export async function finishExecution(db: Database, ctx: TenantContext, requestId: string, result: ExecutionResult) {
  const [row] = await db
    .update(executions)
    .set({
      status: result.status === "success" ? "succeeded" : "failed",
      error: result.status === "error" ? result.error : null,
      finishedAt: sql`now()`,
    })
    .where(forTenant(ctx, executions.tenantId, eq(executions.requestId, requestId), eq(executions.status, "executing")))
    .returning();
  return row ?? null;
}

export async function getExecution(db: Database, ctx: TenantContext, requestId: string): Promise<Execution | null> {
  const [row] = await db
    .select()
    .from(executions)
    .where(forTenant(ctx, executions.tenantId, eq(executions.requestId, requestId)));
  return row ?? null;
}

/**
 * Marks a finished execution's result as known to the deciding authorizer (`callback`,
 * `result_report`, `unsupported`). True for the one caller that marked it.
 */
export async function markResultReported(
  db: Database,
  ctx: TenantContext,
  requestId: string,
  via: "callback" | "result_report" | "unsupported",
  lease?: Job,
) {
  const rows = await db
    .update(executions)
    .set({ resultReportedAt: sql`now()`, resultReportedVia: via })
    .where(
      forTenant(
        ctx,
        executions.tenantId,
        eq(executions.requestId, requestId),
        isNull(executions.resultReportedAt),
        inArray(executions.status, ["succeeded", "failed"]),
        lease ? leaseStillHeld(lease) : undefined,
      ),
    )
    .returning({ requestId: executions.requestId });
  return rows.length > 0;
}

/**
 * Queues the result report of a finished execution to the authorizer whose decision approved it,
 * after `delayMs` (a callback still waiting for the result answers it itself). Nothing is queued
 * for an approval no authorizer signed (routing, fail-open).
 */
export async function enqueueResultReport(
  db: Database,
  ctx: TenantContext,
  requestId: string,
  delayMs: number,
): Promise<boolean> {
  const [request] = await db
    .select({ authorizerId: authorizationRequests.decisionAuthorizerId })
    .from(authorizationRequests)
    .where(
      forTenant(
        ctx,
        authorizationRequests.tenantId,
        eq(authorizationRequests.requestId, requestId),
        eq(authorizationRequests.status, "approved"),
      ),
    );
  if (!request?.authorizerId) return false;
  const inserted = await db
    .insert(jobs)
    .values({
      tenantId: tenantIdOf(ctx),
      kind: "report",
      requestId,
      target: request.authorizerId,
      runAt: sql`now() + make_interval(secs => ${delayMs / 1000}::double precision)`,
    })
    .onConflictDoNothing({ target: [jobs.kind, jobs.requestId, jobs.target] })
    .returning({ id: jobs.id });
  return inserted.length > 0;
}

/** Remembers that an authorizer does not implement result reports (fenced by the report job's lease). */
export async function markResultReportsUnsupported(db: Database, ctx: TenantContext, authorizerId: string, lease: Job) {
  await db
    .update(authorizers)
    .set({ resultReportsUnsupportedAt: sql`now()` })
    .where(
      forTenant(
        ctx,
        authorizers.tenantId,
        and(eq(authorizers.id, authorizerId), isNull(authorizers.resultReportsUnsupportedAt)),
        leaseStillHeld(lease),
      ),
    );
}

/** Whether result reports go to this authorizer (read fresh: the tenant runtime is cached). */
export async function resultReportsUnsupportedSince(
  db: Database,
  ctx: TenantContext,
  authorizerId: string,
): Promise<Date | null> {
  const [row] = await db
    .select({ since: authorizers.resultReportsUnsupportedAt })
    .from(authorizers)
    .where(forTenant(ctx, authorizers.tenantId, eq(authorizers.id, authorizerId)));
  return row?.since ?? null;
}

// A job run's writes count only while it still holds its lease (jobs.leaseToken).
function leaseStillHeld(job: Job) {
  return sql`exists (select 1 from ${jobs} j where j.kind = ${job.kind} and j.request_id = ${job.requestId}
    and j.target = ${job.target} and j.lease_token = ${job.leaseToken}::uuid)`;
}
