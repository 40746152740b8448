import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditCheckpoints, auditEvents, requestEvents } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { chainOf, hashEntry, LeafDigest, signCheckpoint, type AuditEntry } from "@/lib/audit-chain";
import { holdsLease, readAuditEventBatch, readRequestEventBatch, unsealed } from "./audit-chain";
import type { JobLease } from "./system/jobs";
import { loadSigningMaterial } from "./signing-keys";
import { tenantIdOf } from "./tenant-scope";

/** Summary rows (refused callbacks) keep counting within their minute: sealed once it is over. */
const SUMMARY_SETTLE = sql`(summary_key is null or created_at < now() - interval '2 minutes')`;

export type SealOutcome = {
  sealed: number;
  seq: number | null;
  more: boolean;
  skipped?: "lost_lease" | "no_active_key";
};

const rowsOf = (result: unknown) => (result as { rows: Record<string, unknown>[] }).rows;

async function chainHeads(tx: Database, ctx: TenantContext, entries: AuditEntry[]): Promise<Map<string, string>> {
  const tenantId = tenantIdOf(ctx);
  const heads = new Map<string, string>();
  const requestIds = [...new Set(entries.filter((e) => e.kind === "request_event").map((e) => e.requestId!))];
  if (requestIds.length > 0) {
    const rows = rowsOf(
      await tx.execute(sql`select distinct on (request_id) request_id, hash from ${requestEvents}
      where tenant_id = ${tenantId} and request_id in (select jsonb_array_elements_text(${JSON.stringify(requestIds)}::jsonb)) and checkpoint_seq is not null
      order by request_id, checkpoint_seq desc, id desc`),
    );
    for (const row of rows) heads.set(`request:${String(row.request_id)}`, String(row.hash));
  }
  if (entries.some((e) => e.kind === "audit_event")) {
    const [row] = rowsOf(
      await tx.execute(sql`select hash from ${auditEvents} where tenant_id = ${tenantId} and checkpoint_seq is not null
      order by checkpoint_seq desc, created_at desc, id desc limit 1`),
    );
    if (row) heads.set("config", String(row.hash));
  }
  return heads;
}

/**
 * Seals up to `limit` unsealed entries of the tenant into the next checkpoint, signed with its
 * active key: hashes each entry onto its chain, writes the hashes, inserts the checkpoint. One
 * transaction, and only while `lease` holds the tenant's seal job (the job row stays locked, so two
 * sealers of one tenant never interleave). Submits are untouched: they only ever insert rows.
 */
export async function sealAuditBatch(
  db: Database,
  ctx: TenantContext,
  lease: JobLease,
  limit = 5000,
): Promise<SealOutcome> {
  const tenantId = tenantIdOf(ctx);
  return db.transaction(async (tx) => {
    if (!(await holdsLease(tx, lease))) return { sealed: 0, seq: null, more: false, skipped: "lost_lease" };
    const active = (await loadSigningMaterial(tx, ctx)).find((k) => k.state === "active");
    if (!active) return { sealed: 0, seq: null, more: false, skipped: "no_active_key" };
    const audit = await readAuditEventBatch(tx, ctx, sql`${unsealed} and ${SUMMARY_SETTLE}`, null, limit, true);
    const requests = await readRequestEventBatch(tx, ctx, unsealed, null, limit - audit.length, true);
    const entries = [...audit, ...requests];
    if (entries.length === 0) return { sealed: 0, seq: null, more: false };
    const [last] = rowsOf(
      await tx.execute(
        sql`select seq, hash from ${auditCheckpoints} where tenant_id = ${tenantId} order by seq desc limit 1`,
      ),
    );
    const seq = Number(last?.seq ?? 0) + 1;
    const heads = await chainHeads(tx, ctx, entries);
    const digest = new LeafDigest();
    for (const entry of entries) {
      const chain = chainOf(entry);
      entry.prevHash = heads.get(chain) ?? null;
      entry.hash = hashEntry(entry, entry.prevHash);
      entry.checkpointSeq = seq;
      heads.set(chain, entry.hash);
      digest.add(entry);
    }
    const sealedAt = new Date().toISOString();
    const checkpoint = signCheckpoint({ tenantId, seq, prevHash: last ? String(last.hash) : null, sealedAt }, digest, {
      keyId: active.keyId,
      privateKey: active.privateKey,
    });
    const updates = (list: AuditEntry[]) =>
      JSON.stringify(list.map((e) => ({ id: e.id, hash: e.hash, prev: e.prevHash })));
    if (audit.length > 0) {
      await tx.execute(sql`update ${auditEvents} as a set hash = v.hash, prev_hash = v.prev, checkpoint_seq = ${seq}
        from jsonb_to_recordset(${updates(audit)}::jsonb) as v(id uuid, hash text, prev text) where a.id = v.id and a.tenant_id = ${tenantId}`);
    }
    if (requests.length > 0) {
      await tx.execute(sql`update ${requestEvents} as r set hash = v.hash, prev_hash = v.prev, checkpoint_seq = ${seq}
        from jsonb_to_recordset(${updates(requests)}::jsonb) as v(id bigint, hash text, prev text) where r.id = v.id and r.tenant_id = ${tenantId}`);
    }
    await tx.insert(auditCheckpoints).values({
      tenantId,
      seq,
      hash: checkpoint.hash,
      entryCount: entries.length,
      keyId: active.keyId,
      envelope: checkpoint.envelope,
    });
    return { sealed: entries.length, seq, more: entries.length === limit };
  });
}
