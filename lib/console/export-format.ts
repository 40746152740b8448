import type { ExportRow } from "@/db/queries/request-export";

/** The export's columns, in order: what an auditor asks of each request. */
export const exportColumns = [
  "requestId",
  "externalId",
  "createdAt",
  "status",
  "statusReason",
  "decidedAt",
  "decisionSource",
  "decidingAuthorizer",
  "decisionKeyId",
  "decisionReason",
  "reviewers",
  "failOpen",
  "executionStatus",
  "executionChannel",
  "executionError",
  "executedAt",
  "routingTargets",
  "routingFallbackReason",
  "routingError",
  "principalType",
  "actionType",
  "actionCategory",
  "summary",
  "expiresAt",
] as const satisfies readonly (keyof ExportRow)[];

type Entry = { key?: unknown; label?: unknown; value?: unknown };
type Reviewer = { type?: unknown; attributes?: unknown };

function entriesText(entries: unknown): string {
  if (!Array.isArray(entries)) return "";
  return (entries as Entry[])
    .map((e) => `${String(e.key)}=${Array.isArray(e.value) ? `{${entriesText(e.value)}}` : String(e.value)}`)
    .join(", ");
}

/** Each reviewer on its own, with every attribute it carries (name, email, its own reason, …). */
export function reviewersText(reviewers: unknown): string {
  if (!Array.isArray(reviewers)) return "";
  return (reviewers as Reviewer[]).map((r) => `${String(r.type)}(${entriesText(r.attributes)})`).join(" | ");
}

/**
 * One CSV field (every export: requests, audit log): always quoted; an object is written as JSON; a cell that starts with = + - @ (or tab / carriage return, which
 * spreadsheets skip before reading a formula) gets a leading apostrophe, so it is shown, not run.
 */
export function csvField(value: unknown): string {
  let text =
    value instanceof Date
      ? value.toISOString()
      : value === null || value === undefined
        ? ""
        : Array.isArray(value)
          ? value.join(" ")
          : typeof value === "object"
            ? JSON.stringify(value)
            : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export function formatCsvRow(row: ExportRow): string {
  return `${exportColumns.map((c) => csvField(c === "reviewers" ? reviewersText(row.reviewers) : row[c])).join(",")}\r\n`;
}

/** A JSON Lines request record: the same columns, reviewers kept structured. */
export function formatRequestLine(row: ExportRow): string {
  return `${JSON.stringify({ t: "request", ...row })}\n`;
}
