import { z } from "zod";
import { requestStatuses } from "@/db/enum-values";
import { storableInstantSchema } from "./instant-param";

// The query strings of /api/v1 routes, read with Object.fromEntries(searchParams).

/** GET /authorization-requests: filters, newest first, keyset pagination. */
export const requestListQuerySchema = z.object({
  status: z.enum(requestStatuses).optional(),
  actionType: z.string().max(200).optional(),
  category: z.string().max(200).optional(),
  principalType: z.enum(["human", "service", "agent"]).optional(),
  authorizer: z.string().max(64).optional(),
  from: storableInstantSchema.optional(),
  to: storableInstantSchema.optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
});

/** The longest long-poll of GET /authorization-requests/{requestId}, in seconds. */
export const MAX_WAIT_SECONDS = 30;

/** GET /authorization-requests/{requestId}: long-poll up to `wait` seconds while pending. */
export const requestWaitQuerySchema = z.object({
  wait: z.coerce.number().int().min(0).max(MAX_WAIT_SECONDS).optional(),
});

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
