import { z } from "zod";
import { storableInstantSchema } from "@/lib/query-input/storable-instant";

// The query strings of the audit trail's /api/v1 routes, read with Object.fromEntries(searchParams).

/** GET /audit-events: `limit` per page; follow `nextCursor` (as `?cursor=`) until it is null. */
export const auditEventsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: z.string().max(300).optional(),
});

/** GET /audit/verify: the range [from, to] to check, both optional. */
export const auditVerifyQuerySchema = z.object({
  from: storableInstantSchema.optional(),
  to: storableInstantSchema.optional(),
});
