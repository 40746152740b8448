import { z } from "zod";
import type { Database } from "@/db/client";
import { decodeAuditCursor } from "@/db/queries/audit";
import { auditKindNames, listAuditLog, type AuditLogEntry, type AuditLogFilters } from "@/db/queries/audit-log";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError, validationFailed } from "@/lib/errors/app-error";
import { storableInstantSchema } from "@/lib/query-input/storable-instant";
import { storableTextProblem } from "@/lib/stepauth";
import { csvField } from "./export-format";

// The configuration audit screen's query and export (route bodies: lib/http/routes/audit-routes.ts):
// GET /api/console/audit-events (a page, `{data, nextCursor}`) and …/export?format=csv|jsonl (streamed).

/** Time-range presets, in hours (`all`: no lower bound). */
export const auditRanges = { "24h": 24, "7d": 24 * 7, "30d": 24 * 30, all: null } as const;
type AuditRange = keyof typeof auditRanges;

const storable = (value: string) => storableTextProblem(value) === null;

export const auditLogQuerySchema = z.object({
  kind: z.enum(auditKindNames).optional(),
  actor: z.string().trim().max(200).refine(storable, "contains a control character").optional(),
  range: z.enum(Object.keys(auditRanges) as [AuditRange, ...AuditRange[]]).optional(),
  from: storableInstantSchema.optional(),
  to: storableInstantSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
  format: z.enum(["csv", "jsonl"]).optional(),
});
export type AuditLogQuery = z.infer<typeof auditLogQuerySchema>;

/** Reads the filters from search params (blank means no filter) into listAuditLog's input. */
export function parseAuditLogQuery(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
  now = Date.now(),
): AuditLogFilters & { format?: "csv" | "jsonl" } {
  const entries =
    params instanceof URLSearchParams
      ? [...params.entries()]
      : Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]);
  const present = Object.fromEntries(entries.filter(([, v]) => typeof v === "string" && v.trim() !== ""));
  const parsed = auditLogQuerySchema.safeParse(present);
  if (!parsed.success) {
    throw validationFailed(parsed.error, "Invalid filters");
  }
  const { range, from, to, cursor, ...rest } = parsed.data;
  const decoded = cursor === undefined ? undefined : decodeAuditCursor(cursor);
  if (decoded === null) throw new AppError("validation_failed", "Invalid cursor");
  const hours = range ? auditRanges[range] : null;
  const fromDate = from ?? (hours ? new Date(now - hours * 3_600_000) : undefined);
  return { ...rest, from: fromDate, to, cursor: decoded };
}

const csvColumns = [
  "createdAt",
  "action",
  "actorName",
  "actorEmail",
  "actor",
  "stillMember",
  "target",
  "data",
] as const;

function csvLine(entry: AuditLogEntry): string {
  const cells = {
    ...entry,
    actorName: entry.actor.name,
    actorEmail: entry.actor.email,
    actor: entry.actor.label,
    stillMember: entry.actor.stillMember,
  };
  return `${csvColumns.map((column) => csvField(cells[column])).join(",")}\r\n`;
}

/** Streams every matching event, newest first, one page (200) at a time, so memory stays flat. */
export async function exportAuditLog(
  db: Database,
  ctx: TenantContext,
  filters: AuditLogFilters,
  format: "csv" | "jsonl",
): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  // The first page is read before answering: a failing query answers an error, not a broken 200.
  let page: Awaited<ReturnType<typeof listAuditLog>> | null = await listAuditLog(db, ctx, { ...filters, limit: 200 });
  return new ReadableStream({
    start(controller) {
      if (format === "csv") controller.enqueue(encoder.encode(`${csvColumns.join(",")}\r\n`));
    },
    async pull(controller) {
      if (!page) return controller.close();
      const lines = page.data.map((entry) => (format === "csv" ? csvLine(entry) : `${JSON.stringify(entry)}\n`));
      controller.enqueue(encoder.encode(lines.join("")));
      const next = page.nextCursor ? decodeAuditCursor(page.nextCursor) : null;
      page = next ? await listAuditLog(db, ctx, { ...filters, limit: 200, cursor: next }) : null;
    },
  });
}
