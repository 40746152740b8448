import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  authorizationRequests,
  jobs,
  requestEvents,
  requestTargets,
  type AuthorizationRequestRow,
  type Job,
} from "@/db/schema";
import { rowFromJson } from "@/db/row-from-json";
import { tenantStatement } from "@/db/statement";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { countReceivedRequest } from "./request-stats-rollup";
import { forTenant } from "./tenant-scope";

// A request's life in the database: recorded with everything it needs next and read back here,
// finalized once in request-finalize.ts; the target transitions in between are in request-targets.ts.

export type NewRequestRecord = {
  requestId: string;
  externalId: string | null;
  idempotencyKey: string | null;
  bodyHash: string;
  principal: string;
  action: string;
  principalType: string;
  actionType: string;
  actionCategory: string | null;
  summary: string;
  routingTargets: string[];
  routingFallbackReason: string | null;
  routingError: string | null;
  expiresAt: string;
  events: string;
  /** JSON array of `{authorizer_id, sp_id, payload}`, one per target authorizer. */
  targets: string;
  targetAuthorizerIds: string[];
  /** How long the submit jobs are leased to the caller, who runs them at once. */
  leaseSeconds: number;
};

// One statement, so atomic and one round trip: the request (nothing, when its Idempotency-Key is
// taken), its timeline, a payload per target, its submit jobs (leased to this caller, who runs them
// at once) and its count in the overview's rollup. Its expiry needs no row: the sweep finds it
// (db/queries/system/request-expiry.ts).
const recordStatement = tenantStatement<NewRequestRecord>(
  "record_request",
  (p) => sql`
    with req as (
      insert into ${authorizationRequests} (request_id, tenant_id, external_id, idempotency_key, body_hash, status, principal, action,
        principal_type, action_type, action_category, summary, routing_targets, routing_fallback_reason, routing_error, expires_at, target_authorizer_ids)
      values (${p.requestId}, ${p.tenantId}, ${p.externalId}::text, ${p.idempotencyKey}::text, ${p.bodyHash}, 'pending', ${p.principal}::jsonb, ${p.action}::jsonb,
        ${p.principalType}, ${p.actionType}, ${p.actionCategory}::text, ${p.summary}, ${p.routingTargets}::text[], ${p.routingFallbackReason}::text,
        ${p.routingError}::text, ${p.expiresAt}::timestamptz, ${p.targetAuthorizerIds}::uuid[])
      on conflict (tenant_id, idempotency_key) where idempotency_key is not null do nothing
      returning *
    ),
    timeline as (
      insert into ${requestEvents} (tenant_id, request_id, type, data)
      select ${p.tenantId}, req.request_id, e.type, e.data from req, jsonb_to_recordset(${p.events}::jsonb) as e(ord int, type text, data jsonb) order by e.ord
    ),
    targets as (
      insert into ${requestTargets} (request_id, authorizer_id, tenant_id, sp_id, payload)
      select req.request_id, t.authorizer_id, ${p.tenantId}, t.sp_id, t.payload from req, jsonb_to_recordset(${p.targets}::jsonb) as t(authorizer_id uuid, sp_id text, payload text)
    ),
    submit_jobs as (
      insert into ${jobs} (tenant_id, kind, request_id, target, locked_until, attempts)
      select ${p.tenantId}, 'submit', req.request_id, t.authorizer_id::text, now() + make_interval(secs => ${p.leaseSeconds}::double precision), 1
      from req, unnest(${p.targetAuthorizerIds}::uuid[]) as t(authorizer_id)
      returning *
    ),
    stats as (${countReceivedRequest("req")})
    select (select row_to_json(r) from req r) as request, (select coalesce(json_agg(j), '[]'::json) from submit_jobs j) as jobs`,
);

/**
 * Records a new request with its timeline, targets, submit jobs (leased to the caller) and rollup count,
 * in one statement. Null when its Idempotency-Key is taken (nothing was written).
 */
export async function recordRequest(
  db: Database,
  ctx: TenantContext,
  record: NewRequestRecord,
): Promise<{ request: AuthorizationRequestRow; submitJobs: Job[] } | null> {
  const [row] = await recordStatement<{ request: Record<string, unknown> | null; jobs: Record<string, unknown>[] }>(
    db,
    ctx,
    record,
  );
  if (!row?.request) return null;
  return {
    request: rowFromJson<AuthorizationRequestRow>(authorizationRequests, row.request),
    submitJobs: row.jobs.map((j) => rowFromJson<Job>(jobs, j)),
  };
}

export async function findRequestByIdempotencyKey(
  db: Database,
  ctx: TenantContext,
  idempotencyKey: string,
): Promise<AuthorizationRequestRow | null> {
  const [row] = await db
    .select()
    .from(authorizationRequests)
    .where(forTenant(ctx, authorizationRequests.tenantId, eq(authorizationRequests.idempotencyKey, idempotencyKey)));
  return row ?? null;
}

export async function getRequest(
  db: Database,
  ctx: TenantContext,
  requestId: string,
): Promise<AuthorizationRequestRow | null> {
  const [row] = await db
    .select()
    .from(authorizationRequests)
    .where(forTenant(ctx, authorizationRequests.tenantId, eq(authorizationRequests.requestId, requestId)));
  return row ?? null;
}
