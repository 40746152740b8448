import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  authorizationRequests,
  authorizers,
  jobs,
  requestEvents,
  requestTargets,
  tenantSettings,
  webhookDeliveries,
  type AuthorizationRequestRow,
  type Job,
} from "@/db/schema";
import { rowFromJson } from "@/db/row-from-json";
import { tenantStatement } from "@/db/statement";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { eventsJson, type NewRequestEvent } from "./request-events";
import { countFinalizedRequest } from "./request-stats-rollup";
import { sameTenant } from "./tenant-scope";

export type FinalStatus = "approved" | "denied" | "expired" | "cancelled";

/** Besides "this tenant, this request, still pending", what must hold for the write to win. */
export type FinalizeCondition =
  /**
   * A verified decision: not expired, the request went to `winningAuthorizerId` under `spId`, that
   * authorizer is enabled now, and the decision's `timestamp` lies within [request timestamp − 5 min, now + 5 min].
   */
  | { kind: "decision"; spId: string; timestamp: string }
  /** The expiry sweep: the request's time is up. */
  | { kind: "expiry" }
  /** The unavailability policy: every target failed, and the submit job run settling still holds its lease. */
  | { kind: "all_targets_failed"; leaseToken: string }
  /** The kill switch: no target is left that is still open at an enabled authorizer. */
  | { kind: "no_live_target" }
  /** A routing decision or a cancel by the service. */
  | { kind: "none" };

export interface FinalizeInput {
  requestId: string;
  status: FinalStatus;
  /** How the final status was reached: callback, poll, submit, routing, unavailability, expiry, cancel. */
  source: string;
  condition: FinalizeCondition;
  statusReason?: string | null;
  failOpen?: boolean;
  /** The authorizer whose decision won: its target becomes `decided`, the others get a cancel. */
  winningAuthorizerId?: string | null;
  decision?: { keyId: string; reason: string | null; reviewers: unknown; envelope: unknown };
  events: NewRequestEvent[];
}

type FinalizeValues = {
  requestId: string;
  status: FinalStatus;
  statusReason: string | null;
  failOpen: boolean;
  source: string;
  winner: string | null;
  spId: string | null;
  decisionAt: string | null;
  keyId: string | null;
  reason: string | null;
  reviewers: string | null;
  envelope: string | null;
  events: string;
  leaseToken: string | null;
  deliveryLeaseSeconds: number;
};

/**
 * The statement behind finalizePendingRequest, one prepared statement per condition kind. The
 * conditional write (`status = 'pending'` + the condition: the first writer wins, everyone else
 * gets no row); the winning target marked decided; the request's submit and poll jobs
 * deleted (finished); a cancel queued for every other authorizer still holding it; and, when the tenant has a
 * service webhook, the once-only execution claim (primary key = requestId) for an approval and a
 * delivery job leased to the caller. The timeline events and the overview's rollup (pending → final)
 * are written in the same statement.
 * Every table is reached by its key (`request_id = …`, the follow-ups guarded by `exists (select 1
 * from won)`), so the plan Postgres keeps for the statement cannot scan a tenant or an authorizer;
 * every row it reads or writes is checked to be the tenant's (sameTenant), not only the request.
 */
function finalizeStatement(kind: FinalizeCondition["kind"]) {
  return tenantStatement<FinalizeValues>(`finalize_${kind}`, (p) => {
    const r = authorizationRequests;
    const condition = {
      decision: sql`and ${r.expiresAt} > now() and exists (select 1 from ${requestTargets} t join ${authorizers} a on a.id = t.authorizer_id
        where t.request_id = ${p.requestId} and ${sameTenant(sql`t.tenant_id`, p.tenantId)} and t.authorizer_id = ${p.winner}::uuid and t.sp_id = ${p.spId} and a.enabled
        and ${p.decisionAt}::timestamptz >= (t.payload::jsonb ->> 'timestamp')::timestamptz - interval '5 minutes'
        and ${p.decisionAt}::timestamptz <= now() + interval '5 minutes')`,
      expiry: sql`and ${r.expiresAt} <= now()`,
      all_targets_failed: sql`and not exists (select 1 from ${requestTargets} t where t.request_id = ${p.requestId} and ${sameTenant(sql`t.tenant_id`, p.tenantId)} and t.state <> 'failed')
        and exists (select 1 from ${jobs} j where j.kind = 'submit' and j.request_id = ${p.requestId} and j.lease_token = ${p.leaseToken}::uuid
          and ${sameTenant(sql`j.tenant_id`, p.tenantId)})`,
      no_live_target: sql`and not exists (select 1 from ${requestTargets} t join ${authorizers} a on a.id = t.authorizer_id
        where t.request_id = ${p.requestId} and ${sameTenant(sql`t.tenant_id`, p.tenantId)} and t.state in ('queued', 'pending') and a.enabled)`,
      none: sql``,
    }[kind];
    return sql`
    with hook as (
      select exists (select 1 from ${tenantSettings} where ${tenantSettings.tenantId} = ${p.tenantId}
        and ${tenantSettings.webhookUrl} is not null and ${tenantSettings.webhookSecretCiphertext} is not null) as configured
    ),
    won as (
      update ${r} set status = ${p.status}::request_status, status_reason = ${p.statusReason}::text, fail_open = ${p.failOpen}::boolean,
        decided_at = now(), decision_source = ${p.source}::text, decision_authorizer_id = ${p.winner}::uuid,
        decision_key_id = ${p.keyId}::text, decision_reason = ${p.reason}::text, decision_reviewers = ${p.reviewers}::jsonb,
        decision_envelope = ${p.envelope}::jsonb,
        execution_closes_at = case when ${p.status}::text = 'approved' then least(${r.expiresAt}, now() + make_interval(secs =>
          coalesce((select ${tenantSettings.executionWindowSeconds} from ${tenantSettings} where ${tenantSettings.tenantId} = ${p.tenantId}), 600))) end
      where ${r.requestId} = ${p.requestId} and ${sameTenant(r.tenantId, p.tenantId)} and ${r.status} = 'pending' ${condition}
      returning *
    ),
    decided_target as (
      update ${requestTargets} set state = 'decided', updated_at = now()
      where ${requestTargets.requestId} = ${p.requestId} and ${requestTargets.authorizerId} = ${p.winner}::uuid
        and ${sameTenant(requestTargets.tenantId, p.tenantId)} and exists (select 1 from won)
    ),
    closed as (
      delete from ${jobs}
      where ${jobs.requestId} = ${p.requestId} and ${jobs.kind} in ('submit', 'poll')
        and ${sameTenant(jobs.tenantId, p.tenantId)} and exists (select 1 from won)
    ),
    cancels as (
      insert into ${jobs} (tenant_id, kind, request_id, target)
      select ${p.tenantId}, 'cancel', t.request_id, t.authorizer_id::text from ${requestTargets} t
      where t.request_id = ${p.requestId} and ${sameTenant(sql`t.tenant_id`, p.tenantId)} and exists (select 1 from won)
        and t.state in ('queued', 'pending') and t.authorizer_id is distinct from ${p.winner}::uuid
      on conflict (kind, request_id, target) do nothing
    ),
    delivery as (
      insert into ${webhookDeliveries} (request_id, tenant_id, execute)
      select w.request_id, ${p.tenantId}, w.status = 'approved' from won w, hook where hook.configured
      on conflict do nothing returning request_id, execute
    ),
    delivery_job as (
      insert into ${jobs} (tenant_id, kind, request_id, locked_until, attempts)
      select ${p.tenantId}, 'deliver', w.request_id, now() + make_interval(secs => ${p.deliveryLeaseSeconds}::double precision), 1 from won w, hook where hook.configured
      on conflict (kind, request_id, target) do nothing returning *
    ),
    stats as (${countFinalizedRequest("won")}),
    timeline as (
      insert into ${requestEvents} (tenant_id, request_id, type, authorizer_id, data)
      select ${p.tenantId}, request_id, type, authorizer_id, data from (
        select w.request_id, e.type, e.authorizer_id, e.data, e.ord
          from won w, jsonb_to_recordset(${p.events}::jsonb) as e(ord int, type text, authorizer_id uuid, data jsonb)
        union all select request_id, 'webhook_delivery', null, jsonb_build_object('execute', execute, 'state', 'queued'), 1001 from delivery
      ) ordered order by ord
    )
    select (select row_to_json(w) from won w) as request, (select row_to_json(j) from delivery_job j) as job`;
  });
}
const finalizeStatements = {
  decision: finalizeStatement("decision"),
  expiry: finalizeStatement("expiry"),
  all_targets_failed: finalizeStatement("all_targets_failed"),
  no_live_target: finalizeStatement("no_live_target"),
  none: finalizeStatement("none"),
};

/**
 * Moves a pending request to its final status and does everything that follows (see
 * finalizeStatement) in ONE statement, so it is atomic without a transaction and costs one round
 * trip. Returns null when the write did not win. `deliveryLeaseSeconds`: how long the delivery job
 * it queues is leased to the caller, who runs it at once.
 */
export async function finalizePendingRequest(
  db: Database,
  ctx: TenantContext,
  input: FinalizeInput,
  deliveryLeaseSeconds: number,
): Promise<{ request: AuthorizationRequestRow; deliveryJob: Job | null } | null> {
  const { condition, decision } = input;
  const [row] = await finalizeStatements[condition.kind]<{
    request: Record<string, unknown> | null;
    job: Record<string, unknown> | null;
  }>(db, ctx, {
    requestId: input.requestId,
    status: input.status,
    statusReason: input.statusReason ?? null,
    failOpen: input.failOpen ?? false,
    source: input.source,
    winner: input.winningAuthorizerId ?? null,
    spId: condition.kind === "decision" ? condition.spId : null,
    decisionAt: condition.kind === "decision" ? condition.timestamp : null,
    keyId: decision?.keyId ?? null,
    reason: decision?.reason ?? null,
    reviewers: decision?.reviewers == null ? null : JSON.stringify(decision.reviewers),
    envelope: decision ? JSON.stringify(decision.envelope) : null,
    events: eventsJson(input.events),
    leaseToken: condition.kind === "all_targets_failed" ? condition.leaseToken : null,
    deliveryLeaseSeconds,
  });
  if (!row?.request) return null;
  return {
    request: rowFromJson<AuthorizationRequestRow>(authorizationRequests, row.request),
    deliveryJob: row.job ? rowFromJson<Job>(jobs, row.job) : null,
  };
}
