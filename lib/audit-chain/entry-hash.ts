import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json";

/**
 * The hashing of the audit trail, exactly. An auditor can re-implement it from this comment alone.
 *
 * **Entries.** Two kinds are sealed: `request_event` (a request's timeline) and `audit_event` (a
 * configuration change). Each entry's hash is the lowercase hex SHA-256 of the UTF-8 bytes of the
 * canonical JSON (RFC 8785 / JCS: keys sorted, no whitespace) of:
 *
 * - request_event: `{"v":1,"kind":"request_event","tenantId","id","requestId","type","authorizerId","data","createdAt","prevHash"}`
 * - audit_event:   `{"v":1,"kind":"audit_event","tenantId","id","actor","action","target","data","createdAt","prevHash"}`
 *
 * `id` is a string (the event's bigint or uuid); `createdAt` is the database time in UTC with
 * microseconds, `YYYY-MM-DDTHH:MM:SS.ffffffZ`; absent values are `null`; `data` is the JSON object.
 *
 * **Chains.** `prevHash` is the hash of the previous entry of the same chain, or null for the first:
 * a request's events form one chain per request (so concurrent requests never wait on a shared
 * head), a tenant's configuration events one chain. Chain order is seal order: by checkpoint
 * seq, then the leaf order below.
 *
 * **Checkpoints.** A checkpoint seals every entry written since the previous one. Leaf order: the
 * audit_events by (createdAt, id), then the request_events by numeric id. `root` is the hex SHA-256
 * of the concatenated leaf lines `"<kind>:<id>:<hash>\n"`. The checkpoint body
 * `{"v":1,"kind":"audit_checkpoint","tenantId","seq","prevHash","entryCount","root","sealedAt"}`
 * (seq from 1, `prevHash` = the previous checkpoint's hash or null) is serialised canonically and
 * signed as a StepAuth envelope (Ed25519 over the payload bytes, with the tenant's active key); the
 * checkpoint's `hash` is the hex SHA-256 of those payload bytes.
 *
 * **Retention.** A purge deletes requests closed (execution window, else decision, else expiry) longer
 * ago than the tenant's retention period but keeps each sealed event's id and hash as a leaf
 * (`purged`), so old roots still recompute. The purge is itself an `audit.purged` configuration event
 * whose `data.checkpoints` maps each checkpoint seq to the number of its leaves purged, with
 * `retentionDays`, `cutoff` (its own time less the period) and `newestClosedAt` (< cutoff). A verifier
 * accepts a purged leaf only when SEALED purge records, made after its checkpoint, claim exactly as
 * many purged leaves of that checkpoint as there are; an unsealed purge record vouches for nothing.
 *
 * **Requests.** A settled request's sealed timeline holds exactly one final event (`decision_accepted`,
 * `decided_without_authorizer`, `fail_open_executed`, `expired`, `cancelled`); its row's status,
 * deciding authorizer and keyId must be that event's. Two final events are tampering.
 */
export const AUDIT_HASH_VERSION = 1;

export type EntryKind = "request_event" | "audit_event";

/** One sealed (or to-be-sealed) entry as stored and exported. */
export interface AuditEntry {
  kind: EntryKind;
  id: string;
  tenantId: string;
  createdAt: string;
  data: Record<string, unknown> | null;
  /** request_event */
  requestId?: string;
  type?: string;
  authorizerId?: string | null;
  /** audit_event */
  actor?: string;
  action?: string;
  target?: string | null;
  prevHash: string | null;
  hash: string | null;
  checkpointSeq: number | null;
  /** A request event removed by retention: only its id and hash remain, still a leaf of its checkpoint. */
  purged?: boolean;
}

export const sha256Hex = (text: string | Uint8Array) => createHash("sha256").update(text).digest("hex");

/** The canonical body of an entry whose hash is computed with `prevHash`. */
export function entryBody(entry: AuditEntry, prevHash: string | null): string {
  const common = {
    v: AUDIT_HASH_VERSION,
    kind: entry.kind,
    tenantId: entry.tenantId,
    id: entry.id,
    data: entry.data ?? null,
    createdAt: entry.createdAt,
    prevHash,
  };
  if (entry.kind === "request_event") {
    return canonicalJson({
      ...common,
      requestId: entry.requestId ?? null,
      type: entry.type ?? null,
      authorizerId: entry.authorizerId ?? null,
    });
  }
  return canonicalJson({
    ...common,
    actor: entry.actor ?? null,
    action: entry.action ?? null,
    target: entry.target ?? null,
  });
}

/** The entry's hash, chained to `prevHash`. */
export function hashEntry(entry: AuditEntry, prevHash: string | null): string {
  return sha256Hex(entryBody(entry, prevHash));
}

/** The chain an entry belongs to: one per request, one for the tenant's configuration. */
export function chainOf(entry: AuditEntry): string {
  return entry.kind === "request_event" ? `request:${entry.requestId ?? ""}` : "config";
}

/** Leaf order within a checkpoint: negative when `a` comes before `b`. */
export function compareLeaves(a: AuditEntry, b: AuditEntry): number {
  if (a.kind !== b.kind) return a.kind === "audit_event" ? -1 : 1;
  if (a.kind === "request_event") {
    const [x, y] = [BigInt(a.id), BigInt(b.id)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export const leafLine = (entry: { kind: EntryKind; id: string; hash: string | null }) =>
  `${entry.kind}:${entry.id}:${entry.hash ?? ""}\n`;
