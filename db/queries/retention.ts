import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  auditPurgedEntries,
  authorizationRequests,
  executions,
  jobs,
  requestEvents,
  requestTargets,
  tenantSettings,
} from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { PURGE_ACTION } from "@/lib/audit-chain";
import { recordAuditEvent } from "./audit";
import { holdsLease } from "./audit-chain";
import { sealJobKey } from "./system/audit-seal-jobs";
import type { JobLease } from "./system/jobs";
import { tenantIdOf } from "./tenant-scope";

export type PurgeOutcome = { purged: number; more: boolean; skipped?: "lost_lease" | "keep_everything" };

/** When a request closed for good: its execution window's end, else its decision, else its expiry. */
const CLOSED_AT = sql`greatest(r.created_at, coalesce(r.execution_closes_at, r.decided_at, r.expires_at))`;

const ISO = (value: SQL) => sql`to_char((${value}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const rowsOf = (result: unknown) => (result as { rows: Record<string, unknown>[] }).rows;

/**
 * Purges up to `limit` requests closed for longer than the tenant's retention period (an approval
 * counts from the end of its execution window; one still executing never goes), in one transaction
 * held by the purge job's lease. Only requests whose events are all sealed and that have no open job
 * go: each event leaves its id and hash behind (audit_purged_entries) so its checkpoint still
 * verifies, and the purge is recorded as an `audit.purged` configuration event naming the leaves it
 * purged per checkpoint (see lib/audit-chain/entry-hash.ts), whose seal is queued at once.
 * The request's events and targets are deleted with it; its execution and delivery follow by cascade.
 */
export async function purgeExpiredRequests(
  db: Database,
  ctx: TenantContext,
  lease: JobLease,
  limit = 500,
): Promise<PurgeOutcome> {
  const tenantId = tenantIdOf(ctx);
  return db.transaction(async (tx) => {
    if (!(await holdsLease(tx, lease))) return { purged: 0, more: false, skipped: "lost_lease" };
    const [settings] = rowsOf(
      await tx.execute(sql`select retention_days from ${tenantSettings} where tenant_id = ${tenantId}`),
    );
    const days =
      settings?.retention_days === null || settings?.retention_days === undefined
        ? null
        : Number(settings.retention_days);
    if (days === null) return { purged: 0, more: false, skipped: "keep_everything" };
    // Past retention means closed for good that long ago: an approval counts from the end of its
    // execution window (it may still execute until then), and one still executing never goes.
    const due = rowsOf(
      await tx.execute(sql`select r.request_id, r.created_at, ${ISO(CLOSED_AT)} as closed_at, ${ISO(sql`now() - make_interval(hours => ${days * 24})`)} as cutoff
      from ${authorizationRequests} r
      where r.tenant_id = ${tenantId} and r.created_at < now() - make_interval(hours => ${days * 24}) and r.status <> 'pending'
        and ${CLOSED_AT} < now() - make_interval(hours => ${days * 24})
        and not exists (select 1 from ${executions} x where x.tenant_id = ${tenantId} and x.request_id = r.request_id and x.status = 'executing')
        and not exists (select 1 from ${requestEvents} e where e.tenant_id = ${tenantId} and e.request_id = r.request_id and e.checkpoint_seq is null)
        and not exists (select 1 from ${jobs} j where j.tenant_id = ${tenantId} and j.request_id = r.request_id)
      order by r.created_at, r.request_id limit ${limit} for update of r skip locked`),
    );
    if (due.length === 0) return { purged: 0, more: false };
    const ids = JSON.stringify(due.map((r) => String(r.request_id)));
    const kept = rowsOf(
      await tx.execute(sql`insert into ${auditPurgedEntries} (entry_id, tenant_id, checkpoint_seq, hash)
      select e.id, e.tenant_id, e.checkpoint_seq, e.hash from ${requestEvents} e
      where e.tenant_id = ${tenantId} and e.request_id in (select jsonb_array_elements_text(${ids}::jsonb)) returning entry_id, checkpoint_seq`),
    );
    // The record names the leaves it purged, per checkpoint: the verifier matches them one checkpoint at a time.
    const checkpoints: Record<string, number> = {};
    for (const row of kept)
      checkpoints[String(row.checkpoint_seq)] = (checkpoints[String(row.checkpoint_seq)] ?? 0) + 1;
    const newestClosedAt = due
      .map((r) => String(r.closed_at))
      .sort()
      .at(-1)!;
    // The request's events and targets have no foreign key to it (0017): they go in the same statement.
    await tx.execute(sql`with purged as (select jsonb_array_elements_text(${ids}::jsonb) as request_id),
      events as (delete from ${requestEvents} where tenant_id = ${tenantId} and request_id in (select request_id from purged)),
      targets as (delete from ${requestTargets} where tenant_id = ${tenantId} and request_id in (select request_id from purged))
      delete from ${authorizationRequests} where tenant_id = ${tenantId} and request_id in (select request_id from purged)`);
    await recordAuditEvent(tx, ctx, {
      action: PURGE_ACTION,
      target: "requests",
      data: {
        retentionDays: days,
        requests: due.length,
        entries: kept.length,
        oldest: String(due[0]!.created_at),
        newest: String(due.at(-1)!.created_at),
        cutoff: String(due[0]!.cutoff),
        newestClosedAt,
        checkpoints,
      },
    });
    // Until the next seal seals the record, verify fails on these purged entries: queue that seal now.
    await tx.execute(sql`insert into ${jobs} (tenant_id, kind, request_id, target) values (${tenantId}, 'seal', ${sealJobKey(tenantId)}, '')
      on conflict (kind, request_id, target) do nothing`);
    return { purged: due.length, more: due.length === limit };
  });
}
