import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { AuditTrustedKey, CheckpointRecord } from "./checkpoint";
import type { AuditEntry } from "./entry-hash";
import { SealedRequestFacts, type RequestRecord } from "./request-facts";
import { AuditChainVerifier, type VerifyReport } from "./verifier";

/**
 * Verifies a JSON Lines export line by line (memory: one hash per chain and a few facts per
 * request): the checkpoints' signatures with the given public keys, their chain, every entry they
 * seal, and then each request record against its sealed timeline. A line that is not JSON, or a
 * record of an unknown kind or out of place, fails at that line.
 *
 * @example
 * ```ts
 * const report = await verifyExportLines(readLines("export.jsonl"), [{ publicKey: "MCowBQYDK2VwAyEA…" }]);
 * ```
 */
export async function verifyExportLines(
  lines: AsyncIterable<string>,
  keys: readonly AuditTrustedKey[],
): Promise<VerifyReport & { line?: number }> {
  let verifier: AuditChainVerifier | null = null;
  let lineNo = 0;
  let unsealedFirst = 0;
  let complete = true;
  let requestsStarted = false;
  // An out-of-range checkpoint that seals purge records of the range's checkpoints, being read.
  let side: AuditChainVerifier | null = null;
  const absorbSide = () => {
    if (side && verifier) verifier.absorb(side);
    side = null;
  };
  const facts = new SealedRequestFacts();
  const fail = (why: string): VerifyReport & { line: number } => ({
    ...(verifier?.finish() ?? { entriesChecked: 0, checkpointsChecked: 0, unsealedEntries: 0, purgedEntries: 0 }),
    ok: false,
    firstFailure: { id: `line:${lineNo}`, kind: "checkpoint", why },
    line: lineNo,
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
    if (record.t === "export") {
      complete = record.to === null || record.to === undefined;
      continue;
    }
    if (record.t === "request") {
      // Request records come after the whole chain: the timeline is checked first, then each row against it.
      absorbSide();
      if (verifier?.failed) return { ...verifier.finish(), line: lineNo };
      requestsStarted = true;
      const why = facts.check(record as unknown as RequestRecord, complete);
      if (why)
        return {
          ...(verifier ?? new AuditChainVerifier({ keys, fromStart: true })).finish(),
          ok: false,
          firstFailure: { id: String(record.requestId), kind: "request", why },
          line: lineNo,
        };
      continue;
    }
    if (requestsStarted) return fail("a chain record after the request records");
    if (record.t === "purge_checkpoint") {
      if (!verifier) return fail("a purge record checkpoint with no checkpoint in range");
      absorbSide();
      side = verifier.outOfRange();
      side.checkpoint(record as unknown as CheckpointRecord);
    } else if (record.t === "purge_entry") {
      if (!side) return fail("a purge record entry before its checkpoint");
      const { t: _t, ...entry } = record;
      side.entry(entry as unknown as AuditEntry);
    } else if (side) {
      return fail("a chain record after the purge record checkpoints");
    } else if (record.t === "checkpoint") {
      // The first checkpoint decides whether the export starts at the beginning of the trail.
      verifier ??= new AuditChainVerifier({ keys, fromStart: record.seq === 1 });
      verifier.checkpoint(record as unknown as CheckpointRecord);
    } else if (record.t === "entry") {
      const { t: _t, ...entry } = record;
      facts.record(entry as unknown as AuditEntry);
      if (verifier) verifier.entry(entry as unknown as AuditEntry);
      // Before any checkpoint only unsealed entries may come (a trail not sealed yet): they are counted.
      else if (entry.checkpointSeq === null) unsealedFirst += 1;
      else
        return fail(
          `entry ${String(entry.id)} names checkpoint ${String(entry.checkpointSeq)}, which is not in the export`,
        );
    } else {
      return fail("unknown record kind");
    }
    if (verifier?.failed) return { ...verifier.finish(), line: lineNo };
  }
  absorbSide();
  const report = (verifier ?? new AuditChainVerifier({ keys, fromStart: true })).finish();
  return { ...report, unsealedEntries: report.unsealedEntries + unsealedFirst };
}

/** The lines of a file, streamed. */
export function readFileLines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
}
