import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  auditCheckpoints,
  auditEvents,
  auditPurgedEntries,
  authorizationRequests,
  executions,
  jobs,
  requestEvents,
  signingKeys,
} from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { PURGE_ACTION, type AuditEntry, type CheckpointRecord } from "@/lib/audit-chain";
import type { JobLease } from "./system/jobs";
import { tenantIdOf } from "./tenant-scope";

// Reads of the sealed audit trail in leaf order (see lib/audit-chain/entry-hash.ts), in batches.

const US = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;

function toEntry(row: Row): AuditEntry {
  const common = {
    id: String(row.id),
    tenantId: String(row.tenant_id),
    createdAt: String(row.created_at_us),
    data: (row.data ?? null) as Record<string, unknown> | null,
    prevHash: (row.prev_hash ?? null) as string | null,
    hash: (row.hash ?? null) as string | null,
    checkpointSeq: row.checkpoint_seq === null || row.checkpoint_seq === undefined ? null : Number(row.checkpoint_seq),
  };
  if (row.kind === "request_event") {
    return {
      kind: "request_event",
      ...common,
      requestId: String(row.request_id),
      type: String(row.type),
      authorizerId: (row.authorizer_id ?? null) as string | null,
    };
  }
  return {
    kind: "audit_event",
    ...common,
    actor: String(row.actor),
    action: String(row.action),
    target: (row.target ?? null) as string | null,
  };
}

const requestEventColumns = sql`'request_event' as kind, id::text as id, tenant_id, request_id, type, authorizer_id, data,
  ${US(sql`created_at`)} as created_at_us, prev_hash, hash, checkpoint_seq`;
const auditEventColumns = sql`'audit_event' as kind, id::text as id, tenant_id, actor, action, target, data,
  ${US(sql`created_at`)} as created_at_us, prev_hash, hash, checkpoint_seq`;

/** Audit events with `where`, in leaf order after the keyset position `after`. */
export async function readAuditEventBatch(
  db: Database,
  ctx: TenantContext,
  where: SQL,
  after: { at: string; id: string } | null,
  limit: number,
  lock = false,
): Promise<AuditEntry[]> {
  const keyset = after ? sql`and (a.created_at, a.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``;
  const rows = rowsOf(
    await db.execute(sql`select ${auditEventColumns} from ${auditEvents} a
    where a.tenant_id = ${tenantIdOf(ctx)} and ${where} ${keyset} order by a.created_at, a.id limit ${limit} ${lock ? sql`for update` : sql``}`),
  );
  return rows.map(toEntry);
}

/** Request events with `where`, by id after `afterId`. */
export async function readRequestEventBatch(
  db: Database,
  ctx: TenantContext,
  where: SQL,
  afterId: string | null,
  limit: number,
  lock = false,
): Promise<AuditEntry[]> {
  const keyset = afterId ? sql`and r.id > ${afterId}::bigint` : sql``;
  const rows = rowsOf(
    await db.execute(sql`select ${requestEventColumns} from ${requestEvents} r
    where r.tenant_id = ${tenantIdOf(ctx)} and ${where} ${keyset} order by r.id limit ${limit} ${lock ? sql`for update` : sql``}`),
  );
  return rows.map(toEntry);
}

/**
 * A checkpoint's request events in leaf order, merged with what retention purges left of them
 * (id and hash only, `purged: true`), so the checkpoint's root can still be recomputed.
 */
async function readSealedRequestBatch(
  db: Database,
  ctx: TenantContext,
  seq: number,
  afterId: string | null,
  limit: number,
): Promise<AuditEntry[]> {
  const tenantId = tenantIdOf(ctx);
  const after = afterId ?? "0";
  const rows = rowsOf(
    await db.execute(sql`select * from (
      select ${requestEventColumns}, r.id as ord, false as purged from ${requestEvents} r
        where r.tenant_id = ${tenantId} and r.checkpoint_seq = ${seq} and r.id > ${after}::bigint
      union all
      select 'request_event', p.entry_id::text, p.tenant_id, null, null, null, null, null, null, p.hash, p.checkpoint_seq, p.entry_id, true from ${auditPurgedEntries} p
        where p.tenant_id = ${tenantId} and p.checkpoint_seq = ${seq} and p.entry_id > ${after}::bigint
    ) x order by ord limit ${limit}`),
  );
  return rows.map((row) =>
    row.purged
      ? {
          kind: "request_event",
          id: String(row.id),
          tenantId,
          createdAt: "",
          data: null,
          prevHash: null,
          hash: String(row.hash),
          checkpointSeq: seq,
          purged: true,
        }
      : toEntry(row),
  );
}

/** The entries sealed by checkpoint `seq` (or, with null, those not sealed yet) in leaf order, in batches (constant memory). */
export async function* iterateEntries(
  db: Database,
  ctx: TenantContext,
  seq: number | null,
  batch = 1000,
): AsyncGenerator<AuditEntry> {
  const where = seq === null ? unsealed : sql`checkpoint_seq = ${seq}`;
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const rows = await readAuditEventBatch(db, ctx, where, after, batch);
    yield* rows;
    if (rows.length < batch) break;
    const last = rows.at(-1)!;
    after = { at: last.createdAt, id: last.id };
  }
  let afterId: string | null = null;
  for (;;) {
    const rows: AuditEntry[] =
      seq === null
        ? await readRequestEventBatch(db, ctx, where, afterId, batch)
        : await readSealedRequestBatch(db, ctx, seq, afterId, batch);
    yield* rows;
    if (rows.length < batch) break;
    afterId = rows.at(-1)!.id;
  }
}

export const unsealed = sql`checkpoint_seq is null`;

/** Checkpoints in seq order from `fromSeq`, in batches. */
export async function* iterateCheckpoints(
  db: Database,
  ctx: TenantContext,
  fromSeq: number,
  toSeq: number,
  batch = 500,
): AsyncGenerator<CheckpointRecord> {
  let next = fromSeq;
  while (next <= toSeq) {
    const rows = rowsOf(
      await db.execute(sql`select seq, hash, envelope from ${auditCheckpoints}
      where tenant_id = ${tenantIdOf(ctx)} and seq >= ${next} and seq <= ${toSeq} order by seq limit ${batch}`),
    );
    for (const row of rows)
      yield { seq: Number(row.seq), hash: String(row.hash), envelope: row.envelope as CheckpointRecord["envelope"] };
    if (rows.length < batch) break;
    next = Number(rows.at(-1)!.seq) + 1;
  }
}

/** The seq range of the checkpoints that seal what was written in [from, to] (null bound = open). */
export async function checkpointRange(
  db: Database,
  ctx: TenantContext,
  from: Date | null,
  to: Date | null,
): Promise<{ fromSeq: number; toSeq: number; lastSeq: number }> {
  const tenantId = tenantIdOf(ctx);
  const [row] = rowsOf(
    await db.execute(sql`select
      coalesce((select min(seq) from ${auditCheckpoints} where tenant_id = ${tenantId} and (${from?.toISOString() ?? null}::timestamptz is null or created_at >= ${from?.toISOString() ?? null}::timestamptz)), 0) as from_seq,
      coalesce((select min(seq) from ${auditCheckpoints} where tenant_id = ${tenantId} and ${to?.toISOString() ?? null}::timestamptz is not null and created_at >= ${to?.toISOString() ?? null}::timestamptz),
               (select max(seq) from ${auditCheckpoints} where tenant_id = ${tenantId}), 0) as to_seq,
      greatest(coalesce((select max(seq) from ${auditCheckpoints} where tenant_id = ${tenantId}), 0),
               coalesce((select max(checkpoint_seq) from ${requestEvents} where tenant_id = ${tenantId} and checkpoint_seq is not null), 0),
               coalesce((select max(checkpoint_seq) from ${auditEvents} where tenant_id = ${tenantId} and checkpoint_seq is not null), 0)) as last_seq`),
  );
  return { fromSeq: Number(row?.from_seq ?? 0), toSeq: Number(row?.to_seq ?? 0), lastSeq: Number(row?.last_seq ?? 0) };
}

/**
 * The checkpoints outside [fromSeq, toSeq] that seal a purge record claiming leaves of a checkpoint
 * inside it (a purge is sealed after what it purged, so a range can end before its record): a ranged
 * verify or export brings them in, whole, so the record is proven sealed.
 */
export async function purgeRecordCheckpoints(
  db: Database,
  ctx: TenantContext,
  fromSeq: number,
  toSeq: number,
): Promise<number[]> {
  const rows = rowsOf(
    await db.execute(sql`select distinct a.checkpoint_seq from ${auditEvents} a
    where a.tenant_id = ${tenantIdOf(ctx)} and a.action = ${PURGE_ACTION} and a.checkpoint_seq is not null
      and (a.checkpoint_seq < ${fromSeq} or a.checkpoint_seq > ${toSeq})
      and jsonb_typeof(a.data->'checkpoints') = 'object'
      and exists (select 1 from jsonb_object_keys(a.data->'checkpoints') k where k ~ '^[0-9]{1,15}$' and k::bigint between ${fromSeq} and ${toSeq})
    order by a.checkpoint_seq`),
  );
  return rows.map((r) => Number(r.checkpoint_seq));
}

/** Public keys of every signing key the tenant ever had (retired ones verify old checkpoints). */
export async function checkpointKeys(
  db: Database,
  ctx: TenantContext,
): Promise<{ keyId: string; publicKey: string }[]> {
  const rows = rowsOf(
    await db.execute(sql`select key_id, public_key from ${signingKeys} where tenant_id = ${tenantIdOf(ctx)}`),
  );
  return rows.map((r) => ({ keyId: String(r.key_id), publicKey: String(r.public_key) }));
}

/** True while `lease` still holds its job; locks the job row for the rest of the transaction. */
export async function holdsLease(tx: Database, lease: JobLease): Promise<boolean> {
  const rows = rowsOf(
    await tx.execute(sql`select id from ${jobs} where id = ${lease.jobId} and lease_token = ${lease.token} for update`),
  );
  return rows.length > 0;
}

/** The event types that settle a request: a legitimate timeline holds exactly one of them. */
export const FINAL_EVENT_TYPES = [
  "decision_accepted",
  "decided_without_authorizer",
  "fail_open_executed",
  "expired",
  "cancelled",
] as const;

/**
 * The first request whose timeline remains while its row is gone (oldest event first). Nothing cascades
 * from a request row to its events (0017): the purge deletes both in one statement (and event writers
 * lock the row, so no event outlives a purge), so an event without its request means the row was deleted.
 * Events of the range (by their own time: the row that would say when the request was made is gone).
 */
export async function firstEventWithoutRequest(
  db: Database,
  ctx: TenantContext,
  from: Date | null,
  to: Date | null,
): Promise<{ requestId: string; why: string } | null> {
  const tenantId = tenantIdOf(ctx);
  const [row] = rowsOf(
    await db.execute(sql`select e.request_id, count(*) as events from ${requestEvents} e
    where e.tenant_id = ${tenantId}
      and (${from?.toISOString() ?? null}::timestamptz is null or e.created_at >= ${from?.toISOString() ?? null}::timestamptz)
      and (${to?.toISOString() ?? null}::timestamptz is null or e.created_at <= ${to?.toISOString() ?? null}::timestamptz)
      and not exists (select 1 from ${authorizationRequests} r where r.tenant_id = ${tenantId} and r.request_id = e.request_id)
    group by e.request_id order by min(e.id) limit 1`),
  );
  return row
    ? {
        requestId: String(row.request_id),
        why: `its row is missing while its timeline (${Number(row.events)} events) remains: a purge deletes both, so the row was deleted (row deleted)`,
      }
    : null;
}

/**
 * The first request (oldest first) whose row disagrees with its sealed timeline, and why. A settled
 * request has exactly ONE sealed final event (FINAL_EVENT_TYPES), and its row's status, deciding
 * authorizer and keyId must be that event's: two final events are tampering (a status edit laundered
 * with an added event), none or another one is a row edit. Requests with events still unsealed are
 * skipped: nothing vouches for them yet.
 */
export async function firstRequestRowMismatch(
  db: Database,
  ctx: TenantContext,
  from: Date | null,
  to: Date | null,
): Promise<{ requestId: string; why: string } | null> {
  const tenantId = tenantIdOf(ctx);
  const finals = sql.raw(FINAL_EVENT_TYPES.map((t) => `'${t}'`).join(", "));
  const decided = (decision: string) => sql`((f.type = 'decision_accepted' and f.data->>'decision' = ${decision}
      and f.authorizer_id is not distinct from r.decision_authorizer_id and f.data->>'keyId' is not distinct from r.decision_key_id)
    or (f.type = 'decided_without_authorizer' and f.data->>'decision' = ${decision}))`;
  // The execution row (status, error) against its sealed execution_* events: one claim at most, and one
  // result (execution_reported or execution_window_closed) once finished; no events, no row.
  const executionAgrees = sql`case
      when x.request_id is null then xe.claimed = 0 and xe.results = 0
      when x.status = 'executing' then xe.claimed = 1 and xe.results = 0
      else xe.results = 1 and ((xr.type = 'execution_window_closed' and x.channel = 'window_closed' and x.status = 'failed')
        or (xr.type = 'execution_reported' and xr.data->>'status' = (case x.status when 'succeeded' then 'success' else 'error' end)
          and (x.status = 'succeeded' or xr.data->>'error' is not distinct from x.error)))
    end`;
  const [row] = rowsOf(
    await db.execute(sql`select * from (select r.request_id, r.created_at, r.status, c.finals, f.type as final_type, x.status as execution_status,
      coalesce(c.finals <= 1 and case r.status
        when 'pending' then c.finals = 0
        when 'approved' then c.finals = 1 and (${decided("approved")} or f.type = 'fail_open_executed')
        when 'denied' then c.finals = 1 and ${decided("denied")}
        when 'expired' then c.finals = 1 and (f.type = 'expired' or ${decided("expired")})
        when 'cancelled' then c.finals = 1 and f.type = 'cancelled'
        else false
      end, false) as row_ok,
      coalesce(${executionAgrees}, false) as execution_ok
    from ${authorizationRequests} r
    cross join lateral (select count(*) as finals, min(e.id) as first_id from ${requestEvents} e
      where e.tenant_id = ${tenantId} and e.request_id = r.request_id and e.checkpoint_seq is not null and e.type in (${finals})) c
    left join ${requestEvents} f on f.id = c.first_id
    cross join lateral (select count(*) filter (where e.type = 'execution_claimed') as claimed,
        count(*) filter (where e.type in ('execution_reported', 'execution_window_closed')) as results,
        min(e.id) filter (where e.type in ('execution_reported', 'execution_window_closed')) as result_id
      from ${requestEvents} e where e.tenant_id = ${tenantId} and e.request_id = r.request_id and e.checkpoint_seq is not null
        and e.type in ('execution_claimed', 'execution_reported', 'execution_window_closed')) xe
    left join ${requestEvents} xr on xr.id = xe.result_id
    left join ${executions} x on x.tenant_id = ${tenantId} and x.request_id = r.request_id
    where r.tenant_id = ${tenantId}
      and (${from?.toISOString() ?? null}::timestamptz is null or r.created_at >= ${from?.toISOString() ?? null}::timestamptz)
      and (${to?.toISOString() ?? null}::timestamptz is null or r.created_at <= ${to?.toISOString() ?? null}::timestamptz)
      and not exists (select 1 from ${requestEvents} u where u.tenant_id = ${tenantId} and u.request_id = r.request_id and u.checkpoint_seq is null)
    ) q where not (q.row_ok and q.execution_ok)
    order by q.created_at, q.request_id limit 1`),
  );
  if (!row) return null;
  const count = Number(row.finals);
  const why =
    count > 1
      ? `its sealed timeline holds ${count} final events (one is legitimate: an event was added beside the real one)`
      : !row.row_ok && count === 0
        ? `${String(row.status)} on the row, but its sealed timeline holds no final event (row edited)`
        : !row.row_ok
          ? `${String(row.status)} on the row, but its one sealed final event (${String(row.final_type)}) says otherwise: its status, deciding authorizer or keyId was edited (row edited)`
          : `its execution row (${row.execution_status === null || row.execution_status === undefined ? "missing" : String(row.execution_status)}) is not what its sealed execution events record (execution row edited or deleted)`;
  return { requestId: String(row.request_id), why };
}
