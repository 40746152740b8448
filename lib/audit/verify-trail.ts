import type { Database } from "@/db/client";
import {
  checkpointKeys,
  checkpointRange,
  firstEventWithoutRequest,
  firstRequestRowMismatch,
  iterateCheckpoints,
  iterateEntries,
  purgeRecordCheckpoints,
} from "@/db/queries/audit-chain";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AuditChainVerifier, type VerifyReport } from "@/lib/audit-chain";

/**
 * Verifies the tenant's sealed audit trail in the database: every checkpoint that seals what was
 * written in [from, to] (all of them when both are open), each with its entries, with the keys the
 * tenant ever had. Reads in batches; stops at the first failure, which it names.
 */
export async function verifyAuditTrail(
  db: Database,
  ctx: TenantContext,
  range: { from: Date | null; to: Date | null },
): Promise<VerifyReport> {
  const { fromSeq, toSeq, lastSeq } = await checkpointRange(db, ctx, range.from, range.to);
  const verifier = new AuditChainVerifier({ keys: await checkpointKeys(db, ctx), fromStart: fromSeq <= 1 });
  // The next checkpoint seq expected: after the range's last one (none in range: after the newest).
  let expected = fromSeq > 0 ? fromSeq : toSeq + 1;
  if (fromSeq > 0) {
    for await (const checkpoint of iterateCheckpoints(db, ctx, fromSeq, toSeq)) {
      // A missing seq in the middle: name the gap before reading the next checkpoint's entries.
      verifier.checkpoint(checkpoint);
      expected = checkpoint.seq + 1;
      if (verifier.failed) break;
      for await (const entry of iterateEntries(db, ctx, checkpoint.seq)) {
        verifier.entry(entry);
        if (verifier.failed) break;
      }
      if (verifier.failed) break;
    }
  }
  // Entries naming a checkpoint that no longer exists (the newest checkpoints deleted with nothing after them).
  const fullRange = range.to === null;
  if (!verifier.failed && fullRange && lastSeq >= expected) {
    return {
      ...verifier.finish(),
      ok: false,
      firstFailure: {
        id: `checkpoint:${expected}`,
        kind: "checkpoint",
        why: `entries are sealed by checkpoint ${expected}, which is missing`,
      },
    };
  }
  if (!verifier.failed && fullRange) {
    for await (const entry of iterateEntries(db, ctx, null)) verifier.entry(entry);
  }
  // A range that ends before the checkpoint sealing a purge record of its checkpoints: that checkpoint too, whole.
  if (!verifier.failed && fromSeq > 0) {
    for (const seq of await purgeRecordCheckpoints(db, ctx, fromSeq, toSeq)) {
      const side = verifier.outOfRange();
      for await (const checkpoint of iterateCheckpoints(db, ctx, seq, seq)) side.checkpoint(checkpoint);
      for await (const entry of iterateEntries(db, ctx, seq)) side.entry(entry);
      verifier.absorb(side);
      if (verifier.failed) break;
    }
  }
  const report = verifier.finish();
  if (!report.ok) return report;
  // The chain proves the timeline; the request row (what the console and API show) must exist and agree with it.
  const mismatch =
    (await firstEventWithoutRequest(db, ctx, range.from, range.to)) ??
    (await firstRequestRowMismatch(db, ctx, range.from, range.to));
  return mismatch
    ? { ...report, ok: false, firstFailure: { id: mismatch.requestId, kind: "request", why: mismatch.why } }
    : report;
}
