import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { AuditTrustedKey, CheckpointRecord } from "./checkpoint";
import type { AuditEntry } from "./entry-hash";
import { AuditChainVerifier, type VerifyReport } from "./verifier";

/**
 * Verifies a JSON Lines export line by line (constant memory but for one hash per chain): the
 * checkpoints' signatures with the given public keys, their chain, and every entry they seal.
 * A line that is not JSON, or a record of an unknown kind, fails at that line.
 *
 * @example
 * ```ts
 * const report = await verifyExportLines(readLines("export.jsonl"), [{ publicKey: "MCowBQYDK2VwAyEA…" }]);
 * ```
 */
export async function verifyExportLines(lines: AsyncIterable<string>, keys: readonly AuditTrustedKey[]): Promise<VerifyReport & { line?: number }> {
  let verifier: AuditChainVerifier | null = null;
  let lineNo = 0;
  let unsealedFirst = 0;
  const fail = (why: string): VerifyReport & { line: number } => ({
    ...(verifier?.finish() ?? { entriesChecked: 0, checkpointsChecked: 0, unsealedEntries: 0, purgedEntries: 0 }),
    ok: false, firstFailure: { id: `line:${lineNo}`, kind: "checkpoint", why }, line: lineNo,
  });
  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === "") continue;
    let record: { t?: unknown } & Record<string, unknown>;
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      return fail("not a JSON line");
    }
    if (record.t === "export" || record.t === "request") continue;
    if (record.t === "checkpoint") {
      // The first checkpoint decides whether the export starts at the beginning of the trail.
      verifier ??= new AuditChainVerifier({ keys, fromStart: record.seq === 1 });
      verifier.checkpoint(record as unknown as CheckpointRecord);
    } else if (record.t === "entry") {
      const { t: _t, ...entry } = record;
      if (verifier) verifier.entry(entry as unknown as AuditEntry);
      // Before any checkpoint only unsealed entries may come (a trail not sealed yet): they are counted.
      else if (entry.checkpointSeq === null) unsealedFirst += 1;
      else return fail(`entry ${String(entry.id)} names checkpoint ${String(entry.checkpointSeq)}, which is not in the export`);
    } else {
      return fail("unknown record kind");
    }
    if (verifier?.failed) return { ...verifier.finish(), line: lineNo };
  }
  const report = (verifier ?? new AuditChainVerifier({ keys, fromStart: true })).finish();
  return { ...report, unsealedEntries: report.unsealedEntries + unsealedFirst };
}

/** The lines of a file, streamed. */
export function readFileLines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
}
