import type { Database } from "@/db/client";
import { listRequests, type RequestListFilters } from "@/db/queries/authorization-requests";
import type { TenantContext } from "@/lib/auth/tenant-context";

/** Export formats of the audit trail: the media type and file extension of each. */
export const exportFormats = {
  csv: { contentType: "text/csv; charset=utf-8", extension: "csv" },
  jsonl: { contentType: "application/x-ndjson; charset=utf-8", extension: "jsonl" },
} as const;
export type ExportFormat = keyof typeof exportFormats;

export const MAX_EXPORT_ROWS = 10_000;
const PAGE_SIZE = 200;

type Row = Awaited<ReturnType<typeof listRequests>>["data"][number];
const columns = ["requestId", "externalId", "status", "statusReason", "failOpen", "principalType", "actionType", "actionCategory", "summary", "createdAt", "expiresAt", "decidedAt"] as const;

// Quote every field; a leading = + - @ would be run as a formula by spreadsheets, so it is defused.
function csvField(value: unknown): string {
  let text = value instanceof Date ? value.toISOString() : value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

function formatRow(row: Row, format: ExportFormat): string {
  if (format === "jsonl") return `${JSON.stringify(row)}\n`;
  return `${columns.map((c) => csvField(row[c])).join(",")}\r\n`;
}

/**
 * Streams the filtered audit trail page by page (the same keyset query as the list), newest
 * first, up to MAX_EXPORT_ROWS, so a large export never sits in memory at once. The first page is
 * read before the stream is returned, so a query that fails answers an error status, not a 200
 * whose body breaks off.
 */
export async function exportRequests(db: Database, ctx: TenantContext, filters: Omit<RequestListFilters, "limit" | "cursor">, format: ExportFormat): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const readPage = (cursor: RequestListFilters["cursor"], sent: number) =>
    listRequests(db, ctx, { ...filters, limit: Math.min(PAGE_SIZE, MAX_EXPORT_ROWS - sent), cursor });
  let page: Awaited<ReturnType<typeof listRequests>> | null = await readPage(undefined, 0);
  let sent = 0;
  let cursorAfter: RequestListFilters["cursor"];
  return new ReadableStream({
    start(controller) {
      if (format === "csv") controller.enqueue(encoder.encode(`${columns.join(",")}\r\n`));
    },
    async pull(controller) {
      const current = page ?? (await readPage(cursorAfter, sent));
      page = null;
      controller.enqueue(encoder.encode(current.data.map((row) => formatRow(row, format)).join("")));
      sent += current.data.length;
      const last = current.data.at(-1);
      if (!current.nextCursor || !last || sent >= MAX_EXPORT_ROWS) return controller.close();
      cursorAfter = { createdAt: last.createdAt, requestId: last.requestId };
    },
  });
}
