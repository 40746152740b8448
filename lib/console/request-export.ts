import type { Database } from "@/db/client";
import { checkpointRange, iterateCheckpoints, iterateEntries, purgeRecordCheckpoints } from "@/db/queries/audit-chain";
import { readExportBatch, type ExportCursor, type ExportFilters, type ExportRow } from "@/db/queries/request-export";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { exportColumns, formatCsvRow, formatRequestLine } from "./export-format";

/** Export formats of the audit trail: the media type and file extension of each. */
export const exportFormats = {
  csv: { contentType: "text/csv; charset=utf-8", extension: "csv" },
  jsonl: { contentType: "application/x-ndjson; charset=utf-8", extension: "jsonl" },
} as const;
export type ExportFormat = keyof typeof exportFormats;

const BATCH_SIZE = 500;

async function* requestLines(
  db: Database,
  ctx: TenantContext,
  filters: ExportFilters,
  format: ExportFormat,
): AsyncGenerator<string> {
  let cursor: ExportCursor | null = null;
  for (;;) {
    const rows: ExportRow[] = await readExportBatch(db, ctx, filters, cursor, BATCH_SIZE);
    if (rows.length > 0)
      yield rows.map((row) => (format === "csv" ? formatCsvRow(row) : formatRequestLine(row))).join("");
    if (rows.length < BATCH_SIZE) return;
    const last = rows.at(-1)!;
    cursor = { createdAt: last.createdAt, requestId: last.requestId };
  }
}

/**
 * The sealed trail for the offline verifier: each checkpoint covering the range, then its entries
 * in leaf order (whole checkpoints, so their roots can be recomputed), then entries not yet sealed.
 */
async function* chainLines(db: Database, ctx: TenantContext, filters: ExportFilters): AsyncGenerator<string> {
  const { fromSeq, toSeq } = await checkpointRange(db, ctx, filters.from ?? null, filters.to ?? null);
  if (fromSeq > 0) {
    for await (const checkpoint of iterateCheckpoints(db, ctx, fromSeq, toSeq)) {
      yield `${JSON.stringify({ t: "checkpoint", ...checkpoint })}\n`;
      let chunk = "";
      for await (const entry of iterateEntries(db, ctx, checkpoint.seq)) {
        chunk += `${JSON.stringify({ t: "entry", ...entry })}\n`;
        if (chunk.length > 64_000) {
          yield chunk;
          chunk = "";
        }
      }
      if (chunk) yield chunk;
    }
  }
  if (!filters.to) {
    for await (const entry of iterateEntries(db, ctx, null)) yield `${JSON.stringify({ t: "entry", ...entry })}\n`;
  }
  // The checkpoints outside the range that seal the purge records of its purged entries, whole (the
  // offline verifier checks each on its own, then counts the purges they seal).
  if (fromSeq > 0) {
    for (const seq of await purgeRecordCheckpoints(db, ctx, fromSeq, toSeq)) {
      for await (const checkpoint of iterateCheckpoints(db, ctx, seq, seq))
        yield `${JSON.stringify({ t: "purge_checkpoint", ...checkpoint })}\n`;
      for await (const entry of iterateEntries(db, ctx, seq))
        yield `${JSON.stringify({ t: "purge_entry", ...entry })}\n`;
    }
  }
}

async function* exportLines(
  db: Database,
  ctx: TenantContext,
  filters: ExportFilters,
  format: ExportFormat,
): AsyncGenerator<string> {
  if (format === "csv") {
    yield `${exportColumns.join(",")}\r\n`;
    yield* requestLines(db, ctx, filters, format);
    return;
  }
  yield `${JSON.stringify({ t: "export", version: 1, from: filters.from ?? null, to: filters.to ?? null, generatedAt: new Date() })}\n`;
  // The sealed chain first, so the offline verifier knows each request's sealed facts before its record.
  yield* chainLines(db, ctx, filters);
  yield* requestLines(db, ctx, filters, format);
}

/**
 * Streams the whole filtered audit trail, with no row cap: keyset batches pulled only as fast as
 * the client reads, so memory stays flat however many rows there are. The first chunk is produced
 * before the stream is returned, so a query that fails answers an error status, not a broken 200.
 */
export async function exportRequests(
  db: Database,
  ctx: TenantContext,
  filters: ExportFilters,
  format: ExportFormat,
): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const lines = exportLines(db, ctx, filters, format);
  let first: IteratorResult<string> | null = await lines.next();
  return new ReadableStream({
    async pull(controller) {
      const next = first ?? (await lines.next());
      first = null;
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}
