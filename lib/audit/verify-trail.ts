import type { Database } from "@/db/client";
import { checkpointKeys, checkpointRange, iterateCheckpoints, iterateEntries, sealedBy, unsealed } from "@/db/queries/audit-chain";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AuditChainVerifier, type VerifyReport } from "@/lib/audit-chain";

/**
 * Verifies the tenant's sealed audit trail in the database: every checkpoint that seals what was
 * written in [from, to] (all of them when both are open), each with its entries, with the keys the
 * tenant ever had. Reads in batches; stops at the first failure, which it names.
 */
export async function verifyAuditTrail(db: Database, ctx: TenantContext, range: { from: Date | null; to: Date | null }): Promise<VerifyReport> {
  const { fromSeq, toSeq, lastSeq } = await checkpointRange(db, ctx, range.from, range.to);
  const verifier = new AuditChainVerifier({ keys: await checkpointKeys(db, ctx), fromStart: fromSeq <= 1 });
  let expected = fromSeq;
  if (fromSeq > 0) {
    for await (const checkpoint of iterateCheckpoints(db, ctx, fromSeq, toSeq)) {
      // A missing seq in the middle: name the gap before reading the next checkpoint's entries.
      verifier.checkpoint(checkpoint);
      expected = checkpoint.seq + 1;
      if (verifier.failed) break;
      for await (const entry of iterateEntries(db, ctx, sealedBy(checkpoint.seq))) {
        verifier.entry(entry);
        if (verifier.failed) break;
      }
      if (verifier.failed) break;
    }
  }
  const report = verifier.finish();
  // Entries naming a checkpoint that no longer exists (the newest checkpoints deleted with nothing after them).
  const fullRange = range.to === null;
  if (report.ok && fullRange && lastSeq >= expected) {
    return { ...report, ok: false, firstFailure: { id: `checkpoint:${expected}`, kind: "checkpoint", why: `entries are sealed by checkpoint ${expected}, which is missing` } };
  }
  if (report.ok && fullRange) {
    for await (const entry of iterateEntries(db, ctx, unsealed)) {
      verifier.entry(entry);
    }
    return { ...report, unsealedEntries: verifier.finish().unsealedEntries };
  }
  return report;
}
