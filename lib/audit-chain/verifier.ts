import { openCheckpoint, LeafDigest, type AuditTrustedKey, type CheckpointBody, type CheckpointRecord } from "./checkpoint";
import { chainOf, compareLeaves, hashEntry, type AuditEntry } from "./entry-hash";

/** The configuration audit action a retention purge records; `data.entries` counts the leaves it purged. */
export const PURGE_ACTION = "audit.purged";

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
  private purgesRecorded = 0;
  private failure: VerifyFailure | undefined;

  constructor(private readonly options: VerifierOptions) {}

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
    if (this.options.tenantId && body.tenantId !== this.options.tenantId) return this.fail({ id, kind: "checkpoint", why: "signed for another tenant" });
    const expectedSeq = this.previous ? this.previous.seq + 1 : this.options.fromStart ? 1 : body.seq;
    if (body.seq !== expectedSeq) return this.fail({ id, kind: "checkpoint", why: `expected checkpoint ${expectedSeq} next: checkpoints were removed or reordered` });
    const expectedPrev = this.previous ? this.previous.hash : this.options.fromStart ? null : body.prevHash;
    if (body.prevHash !== expectedPrev) return this.fail({ id, kind: "checkpoint", why: "does not chain to the previous checkpoint" });
    this.current = { body, digest: new LeafDigest(), last: null };
    this.previous = { seq: body.seq, hash: record.hash };
  }

  /** Checks one entry: its own hash, its link in its chain, and its place in the open checkpoint. */
  entry(entry: AuditEntry): void {
    if (this.failed) return;
    if (entry.checkpointSeq === null || entry.checkpointSeq === undefined) {
      // Not sealed yet, so nothing vouches for it; a purge recorded just now still accounts for its leaves.
      this.unsealed += 1;
      this.countPurge(entry);
      return;
    }
    const failAt = (why: string) => this.fail({ id: entry.id, kind: entry.kind, why });
    const current = this.current;
    if (!current || entry.checkpointSeq !== current.body.seq) return failAt(`names checkpoint ${entry.checkpointSeq}, which does not precede it`);
    if (current.last && compareLeaves(current.last, entry) >= 0) return failAt("out of order within its checkpoint (reordered or duplicated)");
    if (entry.purged) {
      // Only the hash is left: the checkpoint's root vouches for it; the purge records vouch for the count.
      this.purged += 1;
      current.digest.add(entry);
      current.last = entry;
      return;
    }
    if (hashEntry(entry, entry.prevHash) !== entry.hash) return failAt("content does not match its hash (edited)");
    const chain = chainOf(entry);
    const head = this.heads.get(chain);
    const expected = head ?? (this.options.fromStart ? null : entry.prevHash);
    if (entry.prevHash !== expected) {
      return failAt(head === undefined ? "its chain's earlier entries are missing" : "does not follow the previous entry of its chain (an entry was removed, inserted or reordered)");
    }
    this.heads.set(chain, entry.hash);
    this.countPurge(entry);
    current.digest.add(entry);
    current.last = entry;
    this.entriesChecked += 1;
  }

  private countPurge(entry: AuditEntry): void {
    if (entry.kind === "audit_event" && entry.action === PURGE_ACTION) this.purgesRecorded += Number(entry.data?.entries ?? 0);
  }

  private closeCurrent(): void {
    const current = this.current;
    if (!current) return;
    this.current = null;
    const id = `checkpoint:${current.body.seq}`;
    if (current.digest.count !== current.body.entryCount) {
      const change = current.digest.count < current.body.entryCount ? "missing (deleted)" : "more than sealed (inserted)";
      return this.fail({ id, kind: "checkpoint", why: `sealed ${current.body.entryCount} entries, found ${current.digest.count}: entries ${change}` });
    }
    if (current.digest.root() !== current.body.root) return this.fail({ id, kind: "checkpoint", why: "sealed entries differ from the entries found (root mismatch)" });
    this.checkpointsChecked += 1;
  }

  finish(): VerifyReport {
    if (!this.failed) this.closeCurrent();
    // From the start, every purged leaf must be accounted for by a sealed purge: a deletion dressed up as a purge is not.
    if (!this.failed && this.options.fromStart && this.purged > this.purgesRecorded) {
      this.fail({ id: "purges", kind: "checkpoint", why: `${this.purged} entries are marked purged but the sealed purge records account for ${this.purgesRecorded}` });
    }
    const report: VerifyReport = {
      ok: !this.failure, entriesChecked: this.entriesChecked, checkpointsChecked: this.checkpointsChecked, unsealedEntries: this.unsealed, purgedEntries: this.purged,
    };
    if (this.failure) report.firstFailure = this.failure;
    return report;
  }
}
