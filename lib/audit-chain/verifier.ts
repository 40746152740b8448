import {
  openCheckpoint,
  LeafDigest,
  type AuditTrustedKey,
  type CheckpointBody,
  type CheckpointRecord,
} from "./checkpoint";
import { chainOf, compareLeaves, hashEntry, type AuditEntry } from "./entry-hash";

/**
 * The configuration audit action a retention purge records. Its data names what it purged:
 * `checkpoints` maps each checkpoint seq (a string) to the number of that checkpoint's leaves it
 * purged; `retentionDays`, `cutoff` (the purge time less the retention period) and `newestClosedAt`
 * (when the last of its requests closed) show every request it took was past retention.
 */
export const PURGE_ACTION = "audit.purged";

const DAY_MS = 86_400_000;

/** The purged leaves a sealed purge record claims, per checkpoint seq, or why the record is not a valid one. */
export function purgeClaims(entry: AuditEntry): { claims: Map<number, number>; at: number } | { why: string } {
  const data = entry.data ?? {};
  const checkpoints = data.checkpoints;
  if (!checkpoints || typeof checkpoints !== "object" || Array.isArray(checkpoints))
    return { why: "purge record names no checkpoints (data.checkpoints)" };
  const claims = new Map<number, number>();
  for (const [key, value] of Object.entries(checkpoints as Record<string, unknown>)) {
    const seq = Number(key);
    if (!/^[1-9][0-9]*$/.test(key) || typeof value !== "number" || !Number.isInteger(value) || value < 1)
      return { why: `purge record claims ${String(value)} entries of checkpoint "${key}"` };
    if (entry.checkpointSeq !== null && seq >= entry.checkpointSeq)
      return { why: `purge record claims entries of checkpoint ${seq}, not sealed before it` };
    claims.set(seq, value);
  }
  const at = Date.parse(entry.createdAt);
  const cutoff = Date.parse(String(data.cutoff));
  const closed = Date.parse(String(data.newestClosedAt));
  const days = Number(data.retentionDays);
  if (!Number.isFinite(cutoff) || !Number.isFinite(closed) || !Number.isInteger(days) || days < 1)
    return { why: "purge record names no retention period, cutoff or newestClosedAt" };
  // The cutoff is the purge's own time less the period (one transaction: the same database time).
  if (cutoff > at - days * DAY_MS)
    return { why: `purge cutoff ${String(data.cutoff)} is not ${days} days before the purge` };
  if (closed >= cutoff)
    return {
      why: `purge took a request closed at ${String(data.newestClosedAt)}, not past retention at ${String(data.cutoff)}`,
    };
  return { claims, at };
}

/** The first thing found wrong: which entry or checkpoint, and why. */
export interface VerifyFailure {
  id: string;
  /** `request`: a request row that disagrees with its sealed timeline (checked by the gateway, not offline). */
  kind: "request_event" | "audit_event" | "checkpoint" | "request";
  why: string;
}

export interface VerifyReport {
  ok: boolean;
  entriesChecked: number;
  checkpointsChecked: number;
  /** Entries written since the last checkpoint: hashed by nothing yet, so not checked. */
  unsealedEntries: number;
  /** Sealed entries removed by retention purges (their hashes still count in their checkpoints). */
  purgedEntries: number;
  firstFailure?: VerifyFailure;
}

export interface VerifierOptions {
  keys: readonly AuditTrustedKey[];
  /** When set, every checkpoint must belong to this tenant. */
  tenantId?: string;
  /**
   * True when the input starts at checkpoint 1: then every chain must start with a null prevHash.
   * A range that starts later trusts the prevHash of each chain's first entry in range.
   */
  fromStart: boolean;
}

/**
 * Verifies an audit trail fed in export order: for each checkpoint in seq order, the checkpoint,
 * then its entries in leaf order; unsealed entries last. Framework-free and incremental (memory:
 * one hash per chain seen), so the gateway's verify endpoint and the offline CLI share it.
 *
 * @example
 * ```ts
 * const verifier = new AuditChainVerifier({ keys: [{ publicKey }], fromStart: true });
 * verifier.checkpoint(cp); for (const e of entries) verifier.entry(e);
 * verifier.finish(); // { ok: true, entriesChecked, checkpointsChecked, unsealedEntries: 0 }
 * ```
 */
export class AuditChainVerifier {
  private readonly heads = new Map<string, string>();
  private current: { body: CheckpointBody; digest: LeafDigest; last: AuditEntry | null } | null = null;
  private previous: { seq: number; hash: string } | null = null;
  private entriesChecked = 0;
  private checkpointsChecked = 0;
  private unsealed = 0;
  private purged = 0;
  /** Purged leaves found, per checkpoint seq, and when each checkpoint was sealed. */
  private readonly purgedBySeq = new Map<number, number>();
  private readonly sealedAtBySeq = new Map<number, number>();
  /** Purged leaves claimed per checkpoint seq by sealed purge records, and the latest such purge's time. */
  private readonly claimedBySeq = new Map<number, { count: number; at: number }>();
  /** Claimed by purge records not sealed yet: they vouch for nothing, but name why. */
  private readonly unsealedClaims = new Map<number, number>();
  private readonly seqs = new Set<number>();
  private failure: VerifyFailure | undefined;

  constructor(
    private readonly options: VerifierOptions,
    /** A checkpoint outside the range, verified on its own for the purge records it seals (see `outOfRange`). */
    private readonly side = false,
  ) {}

  get failed(): boolean {
    return this.failure !== undefined;
  }

  private fail(failure: VerifyFailure): void {
    this.failure ??= failure;
  }

  /** Opens a checkpoint: closes the previous one (its count and root), then checks signature and link. */
  checkpoint(record: CheckpointRecord): void {
    if (this.failed) return;
    this.closeCurrent();
    if (this.failed) return;
    const id = `checkpoint:${String(record?.seq)}`;
    const opened = openCheckpoint(record, this.options.keys);
    if ("why" in opened) return this.fail({ id, kind: "checkpoint", why: opened.why });
    const { body } = opened;
    if (this.options.tenantId && body.tenantId !== this.options.tenantId)
      return this.fail({ id, kind: "checkpoint", why: "signed for another tenant" });
    const expectedSeq = this.previous ? this.previous.seq + 1 : this.options.fromStart ? 1 : body.seq;
    if (body.seq !== expectedSeq)
      return this.fail({
        id,
        kind: "checkpoint",
        why: `expected checkpoint ${expectedSeq} next: checkpoints were removed or reordered`,
      });
    const expectedPrev = this.previous ? this.previous.hash : this.options.fromStart ? null : body.prevHash;
    if (body.prevHash !== expectedPrev)
      return this.fail({ id, kind: "checkpoint", why: "does not chain to the previous checkpoint" });
    this.current = { body, digest: new LeafDigest(), last: null };
    this.previous = { seq: body.seq, hash: record.hash };
    this.seqs.add(body.seq);
    this.sealedAtBySeq.set(body.seq, Date.parse(body.sealedAt));
  }

  /** Checks one entry: its own hash, its link in its chain, and its place in the open checkpoint. */
  entry(entry: AuditEntry): void {
    if (this.failed) return;
    if (entry.checkpointSeq === null || entry.checkpointSeq === undefined) {
      // Not sealed yet, so nothing vouches for it: a purge recorded here accounts for no leaf until sealed.
      this.unsealed += 1;
      if (entry.kind === "audit_event" && entry.action === PURGE_ACTION) {
        const claimed = purgeClaims(entry);
        if ("claims" in claimed)
          for (const [seq, count] of claimed.claims)
            this.unsealedClaims.set(seq, (this.unsealedClaims.get(seq) ?? 0) + count);
      }
      return;
    }
    const failAt = (why: string) => this.fail({ id: entry.id, kind: entry.kind, why });
    const current = this.current;
    if (!current || entry.checkpointSeq !== current.body.seq)
      return failAt(`names checkpoint ${entry.checkpointSeq}, which does not precede it`);
    if (current.last && compareLeaves(current.last, entry) >= 0)
      return failAt("out of order within its checkpoint (reordered or duplicated)");
    if (entry.purged) {
      // Only the hash is left: the checkpoint's root vouches for it; a sealed purge record must claim it.
      this.purged += 1;
      this.purgedBySeq.set(current.body.seq, (this.purgedBySeq.get(current.body.seq) ?? 0) + 1);
      current.digest.add(entry);
      current.last = entry;
      return;
    }
    if (hashEntry(entry, entry.prevHash) !== entry.hash) return failAt("content does not match its hash (edited)");
    const chain = chainOf(entry);
    const head = this.heads.get(chain);
    const expected = head ?? (this.options.fromStart ? null : entry.prevHash);
    if (entry.prevHash !== expected) {
      return failAt(
        head === undefined
          ? "its chain's earlier entries are missing"
          : "does not follow the previous entry of its chain (an entry was removed, inserted or reordered)",
      );
    }
    this.heads.set(chain, entry.hash);
    if (entry.kind === "audit_event" && entry.action === PURGE_ACTION) {
      const claimed = purgeClaims(entry);
      if ("why" in claimed) return failAt(claimed.why);
      this.claim(claimed.claims, claimed.at);
    }
    current.digest.add(entry);
    current.last = entry;
    this.entriesChecked += 1;
  }

  private claim(claims: Map<number, number>, at: number): void {
    for (const [seq, count] of claims) {
      const before = this.claimedBySeq.get(seq);
      this.claimedBySeq.set(seq, { count: (before?.count ?? 0) + count, at: Math.max(before?.at ?? 0, at) });
    }
  }

  /**
   * A verifier for one checkpoint outside the range (the next seal after a purge seals its record,
   * so a range can end before it): feed it that checkpoint and all its entries, then `absorb` it.
   */
  outOfRange(): AuditChainVerifier {
    return new AuditChainVerifier({ ...this.options, fromStart: false }, true);
  }

  /** Takes in the purge records an out-of-range checkpoint seals, once that checkpoint verified in full. */
  absorb(side: AuditChainVerifier): void {
    if (this.failed) return;
    const report = side.finish();
    if (!report.ok) return this.fail(report.firstFailure!);
    for (const seq of side.seqs) {
      if (this.seqs.has(seq))
        return this.fail({
          id: `checkpoint:${seq}`,
          kind: "checkpoint",
          why: "given twice (in range and again for its purge records)",
        });
      this.seqs.add(seq);
    }
    for (const [seq, claim] of side.claimedBySeq) this.claim(new Map([[seq, claim.count]]), claim.at);
  }

  /** Every purged leaf of the checkpoints checked is claimed, per checkpoint, by a sealed purge made after that checkpoint. */
  private matchPurges(): void {
    const seqs = new Set([
      ...this.purgedBySeq.keys(),
      ...[...this.claimedBySeq.keys()].filter((seq) => this.sealedAtBySeq.has(seq)),
    ]);
    for (const seq of [...seqs].sort((a, b) => a - b)) {
      const found = this.purgedBySeq.get(seq) ?? 0;
      const claim = this.claimedBySeq.get(seq);
      const id = `checkpoint:${seq}`;
      if (!claim) {
        const pending = this.unsealedClaims.get(seq) === found;
        return this.fail({
          id,
          kind: "checkpoint",
          why: pending
            ? `${found} entries are purged, but their purge record is not sealed yet: nothing vouches for the purge until the next seal`
            : `${found} entries are marked purged, but no sealed purge record accounts for them (a deletion dressed up as a purge)`,
        });
      }
      if (claim.count !== found)
        return this.fail({
          id,
          kind: "checkpoint",
          why: `sealed purge records account for ${claim.count} purged entries, found ${found}`,
        });
      if (claim.at < (this.sealedAtBySeq.get(seq) ?? 0))
        return this.fail({ id, kind: "checkpoint", why: "purged by a purge record older than the checkpoint itself" });
    }
  }

  private closeCurrent(): void {
    const current = this.current;
    if (!current) return;
    this.current = null;
    const id = `checkpoint:${current.body.seq}`;
    if (current.digest.count !== current.body.entryCount) {
      const change =
        current.digest.count < current.body.entryCount ? "missing (deleted)" : "more than sealed (inserted)";
      return this.fail({
        id,
        kind: "checkpoint",
        why: `sealed ${current.body.entryCount} entries, found ${current.digest.count}: entries ${change}`,
      });
    }
    if (current.digest.root() !== current.body.root)
      return this.fail({ id, kind: "checkpoint", why: "sealed entries differ from the entries found (root mismatch)" });
    this.checkpointsChecked += 1;
  }

  finish(): VerifyReport {
    if (!this.failed) this.closeCurrent();
    // In every mode (a range too): each purged leaf is claimed, per checkpoint, by a sealed purge record.
    if (!this.failed && !this.side) this.matchPurges();
    const report: VerifyReport = {
      ok: !this.failure,
      entriesChecked: this.entriesChecked,
      checkpointsChecked: this.checkpointsChecked,
      unsealedEntries: this.unsealed,
      purgedEntries: this.purged,
    };
    if (this.failure) report.firstFailure = this.failure;
    return report;
  }
}
