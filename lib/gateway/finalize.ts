import { eq, sql, type SQL } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Database } from "@/db/client";
import { authorizationRequests, executions, jobs, requestEvents, requestTargets, tenantSettings, webhookDeliveries, type AuthorizationRequestRow, type Job } from "@/db/schema";
import { forTenant, tenantIdOf } from "@/db/queries/tenant-scope";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { rowFromJson } from "@/db/row-from-json";
import type { NewRequestEvent } from "./request-events";

/**
 * How long a claimed job belongs to its claimer: longer than the slowest job (5 attempts × 5 s
 * plus backoff). Work run at once (inline) is leased the same way; if its process dies, the worker
 * of any instance takes the job over when the lease runs out. Tests shorten it.
 */
export const JOB_LEASE_SECONDS = Number(process.env.GATEWAY_JOB_LEASE_SECONDS ?? 120);

/**
 * A delivery's lease always outlasts one webhook call (10 s timeout), whatever the setting: a
 * second instance must never start delivering while the first may still be mid-call.
 */
export const DELIVERY_LEASE_SECONDS = Math.max(JOB_LEASE_SECONDS, 20);

type FinalStatus = "approved" | "denied" | "expired" | "cancelled";

export interface FinalizeInput {
  requestId: string;
  /** What the winning write sets; `status` moves the request out of `pending`. */
  set: PgUpdateSetSource<typeof authorizationRequests> & { status: FinalStatus };
  /** Conditions besides "this tenant, this request, still pending". */
  where?: SQL;
  /** The authorizer whose decision won: its target becomes `decided`, the others get a cancel. */
  winningAuthorizerId?: string | null;
  events: NewRequestEvent[];
}

/**
 * Moves a pending request to its final status and does everything that follows, in ONE
 * statement, so it is atomic without a transaction and costs one round trip:
 * the conditional write (`status = 'pending'` + `where`: the first writer wins, everyone else
 * gets null); the winning target marked decided; the request's submit, poll and expiry jobs
 * closed; a cancel queued for every other authorizer still holding it; and, when the tenant has
 * a service webhook, the once-only execution claim (primary key = requestId) for an approval and
 * a delivery job leased to the caller. The timeline events are written in the same statement.
 */
export async function finalizeRequest(db: Database, ctx: TenantContext, input: FinalizeInput): Promise<{ request: AuthorizationRequestRow; deliveryJob: Job | null } | null> {
  const tenantId = tenantIdOf(ctx);
  const winner = input.winningAuthorizerId ?? null;
  const won = db
    .update(authorizationRequests)
    .set(input.set)
    .where(forTenant(ctx, authorizationRequests.tenantId, eq(authorizationRequests.requestId, input.requestId), eq(authorizationRequests.status, "pending"), input.where))
    .returning() as unknown as { getSQL(): SQL };
  const events = JSON.stringify(input.events.map((e, ord) => ({ ord, type: e.type, authorizer_id: e.authorizerId ?? null, data: e.data ?? null })));
  const result = await db.execute(sql`
    with hook as (
      select exists (select 1 from ${tenantSettings} where ${tenantSettings.tenantId} = ${tenantId}
        and ${tenantSettings.webhookUrl} is not null and ${tenantSettings.webhookSecretCiphertext} is not null) as configured
    ),
    won as (${won.getSQL()}),
    decided_target as (
      update ${requestTargets} set state = 'decided', updated_at = now()
      where ${requestTargets.requestId} in (select request_id from won) and ${requestTargets.authorizerId} = ${winner}::uuid
    ),
    closed as (
      update ${jobs} set done_at = now(), locked_until = null
      where ${jobs.requestId} in (select request_id from won) and ${jobs.kind} in ('submit', 'poll', 'expire') and ${jobs.doneAt} is null
    ),
    cancels as (
      insert into ${jobs} (tenant_id, kind, request_id, target)
      select ${tenantId}, 'cancel', t.request_id, t.authorizer_id::text from ${requestTargets} t
      where t.request_id in (select request_id from won) and t.state in ('queued', 'pending') and t.authorizer_id is distinct from ${winner}::uuid
      on conflict (kind, request_id, target) where done_at is null do nothing
    ),
    claimed as (
      insert into ${executions} (request_id, tenant_id, channel)
      select w.request_id, ${tenantId}, 'webhook' from won w, hook where w.status = 'approved' and hook.configured
      on conflict do nothing returning request_id
    ),
    delivery as (
      insert into ${webhookDeliveries} (request_id, tenant_id, execute)
      select w.request_id, ${tenantId}, w.status = 'approved' from won w, hook where hook.configured
      on conflict do nothing returning request_id, execute
    ),
    delivery_job as (
      insert into ${jobs} (tenant_id, kind, request_id, locked_until, attempts)
      select ${tenantId}, 'deliver', w.request_id, now() + make_interval(secs => ${DELIVERY_LEASE_SECONDS}), 1 from won w, hook where hook.configured
      on conflict (kind, request_id, target) where done_at is null do nothing returning *
    ),
    timeline as (
      insert into ${requestEvents} (tenant_id, request_id, type, authorizer_id, data)
      select ${tenantId}, request_id, type, authorizer_id, data from (
        select w.request_id, e.type, e.authorizer_id, e.data, e.ord
          from won w, jsonb_to_recordset(${events}::jsonb) as e(ord int, type text, authorizer_id uuid, data jsonb)
        union all select request_id, 'execution_claimed', null, '{"channel":"webhook"}'::jsonb, 1000 from claimed
        union all select request_id, 'webhook_delivery', null, jsonb_build_object('execute', execute, 'state', 'queued'), 1001 from delivery
      ) ordered order by ord
    )
    select (select row_to_json(w) from won w) as request, (select row_to_json(j) from delivery_job j) as job`);
  const row = (result as unknown as { rows: { request: Record<string, unknown> | null; job: Record<string, unknown> | null }[] }).rows[0];
  if (!row?.request) return null;
  return {
    request: rowFromJson<AuthorizationRequestRow>(authorizationRequests, row.request),
    deliveryJob: row.job ? rowFromJson<Job>(jobs, row.job) : null,
  };
}
