import { createHash, type Hash } from "node:crypto";
import { signEnvelope, verifyEnvelope, type SignedEnvelope, type TrustedKey } from "@/lib/stepauth";
import { canonicalJson } from "./canonical-json";
import { AUDIT_HASH_VERSION, leafLine, sha256Hex, type EntryKind } from "./entry-hash";

/** The signed body of a checkpoint (see entry-hash.ts for the exact bytes). */
export interface CheckpointBody {
  v: number;
  kind: "audit_checkpoint";
  tenantId: string;
  seq: number;
  prevHash: string | null;
  entryCount: number;
  root: string;
  sealedAt: string;
}

/** A checkpoint as stored and exported: its seq, the hash of its payload bytes, the signed envelope. */
export interface CheckpointRecord {
  seq: number;
  hash: string;
  envelope: SignedEnvelope;
}

/** Accumulates a checkpoint's root over its leaves in leaf order, in constant memory. */
export class LeafDigest {
  private readonly hasher: Hash = createHash("sha256");
  count = 0;

  add(entry: { kind: EntryKind; id: string; hash: string | null }): void {
    this.hasher.update(leafLine(entry));
    this.count += 1;
  }

  root(): string {
    return this.hasher.digest("hex");
  }
}

/**
 * Builds and signs a checkpoint over leaves already digested.
 *
 * @example
 * ```ts
 * const digest = new LeafDigest();
 * for (const e of entries) digest.add(e);
 * const cp = signCheckpoint({ tenantId, seq: 1, prevHash: null, sealedAt }, digest, { keyId, privateKey });
 * ```
 */
export function signCheckpoint(
  head: { tenantId: string; seq: number; prevHash: string | null; sealedAt: string },
  digest: LeafDigest,
  signer: { keyId: string; privateKey: string },
): CheckpointRecord & { body: CheckpointBody } {
  const body: CheckpointBody = {
    v: AUDIT_HASH_VERSION,
    kind: "audit_checkpoint",
    ...head,
    entryCount: digest.count,
    root: digest.root(),
  };
  const bytes = new TextEncoder().encode(canonicalJson(body));
  return { seq: body.seq, hash: sha256Hex(bytes), envelope: signEnvelope(bytes, [signer]), body };
}

/** A key the verifier trusts; without `keyId` it is tried for any keyId (an auditor given bare SPKI keys). */
export interface AuditTrustedKey {
  keyId?: string;
  publicKey: string;
}

/** Checks a checkpoint's signature with the trusted keys; its body, or why it is not acceptable. */
export function openCheckpoint(
  record: CheckpointRecord,
  keys: readonly AuditTrustedKey[],
): { body: CheckpointBody } | { why: string } {
  const claimed = Array.isArray(record.envelope?.signatures) ? record.envelope.signatures.map((s) => s?.keyId) : [];
  const trusted: TrustedKey[] = keys.flatMap((k) =>
    k.keyId
      ? [{ keyId: k.keyId, publicKey: k.publicKey }]
      : claimed
          .filter((id): id is string => typeof id === "string")
          .map((keyId) => ({ keyId, publicKey: k.publicKey })),
  );
  let verified;
  try {
    verified = verifyEnvelope(record.envelope, trusted);
  } catch {
    return { why: "signature does not verify with any trusted key" };
  }
  if (sha256Hex(verified.payloadBytes) !== record.hash)
    return { why: "stored hash is not the hash of the signed payload" };
  const body = verified.payload as unknown as CheckpointBody;
  if (body.kind !== "audit_checkpoint" || body.v !== AUDIT_HASH_VERSION)
    return { why: "signed payload is not an audit checkpoint" };
  if (body.seq !== record.seq) return { why: `signed seq ${String(body.seq)} differs from the stored seq` };
  return { body };
}
