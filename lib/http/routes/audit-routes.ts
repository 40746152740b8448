import { z } from "zod";
import { decodeAuditCursor, listAuditEvents } from "@/db/queries/audit";
import { verifyAuditTrail } from "@/lib/audit/verify-trail";
import { exportAuditLog, parseAuditLogQuery } from "@/lib/console/audit-log";
import { consoleQueryLoaders } from "@/lib/console/queries";
import { requestRanges, type RequestRange } from "@/lib/console/request-filters";
import { AppError } from "@/lib/errors/app-error";
import { json, type TenantRequest } from "../api-route";
import { parseQuery } from "../params";
import { auditEventsQuerySchema, auditVerifyQuerySchema } from "../schemas/audit";

// The audit trail: /api/v1/audit-events (raw events, paged) and /api/v1/audit/verify, and the
// console's configuration audit screen (filtered entries, an export) and its "Verify integrity".

/** Newest first, `limit` per page; follow `nextCursor` (as `?cursor=`) until it is null. */
export async function listAuditEventsRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const query = parseQuery(request, auditEventsQuerySchema, "Invalid paging");
  const cursor = query.cursor === undefined ? undefined : decodeAuditCursor(query.cursor);
  if (cursor === null) throw new AppError("validation_failed", "Invalid cursor");
  return json(await listAuditEvents(db, ctx, { limit: query.limit, cursor }));
}

/** Checks the hash chains and signed checkpoints covering [from, to] (ISO 8601; both optional). */
export async function verifyAuditTrailRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const query = parseQuery(
    request,
    auditVerifyQuerySchema,
    "from and to must be ISO 8601 date-times from 1970 to 9999",
  );
  const from = query.from ?? null;
  const to = query.to ?? null;
  if (from && to && from > to) throw new AppError("validation_failed", "from must not be after to");
  return json(await verifyAuditTrail(db, ctx, { from, to }));
}

const verifyRangeSchema = z.object({
  range: z.enum(Object.keys(requestRanges) as [RequestRange, ...RequestRange[]]).optional(),
});

/** The console's "Verify integrity": the same check as GET /api/v1/audit/verify, over the page's time range. */
export async function verifyIntegrityRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const { range } = parseQuery(request, verifyRangeSchema, "range is not one of the page's ranges");
  const hours = range ? requestRanges[range] : null;
  return json(
    await verifyAuditTrail(db, ctx, {
      from: hours === null ? null : new Date(Date.now() - hours * 3_600_000),
      to: null,
    }),
  );
}

export async function listAuditLogRoute({ db, ctx, request }: TenantRequest<unknown>) {
  return json(await consoleQueryLoaders.auditLog(db, ctx, Object.fromEntries(new URL(request.url).searchParams)));
}

export async function exportAuditLogRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const {
    format = "csv",
    cursor: _cursor,
    limit: _limit,
    ...filters
  } = parseAuditLogQuery(new URL(request.url).searchParams);
  const stream = await exportAuditLog(db, ctx, filters, format);
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="audit-events-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
