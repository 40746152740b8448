import { z } from "zod";
import { requestListFilterFields, requestPageLimit } from "@/lib/query-input/request-list";
import { storableInstantSchema } from "@/lib/query-input/storable-instant";

// The authorization-request list's query: the filter and paging fields are shared with the console's
// requests page (lib/query-input/request-list.ts).

/**
 * GET /api/v1/authorization-requests: the filters, an absolute `from`/`to` window and pages of 50 by
 * default (the documented API default; the console shows pages of 25).
 */
export const requestListQuerySchema = z.object({
  ...requestListFilterFields,
  from: storableInstantSchema.optional(),
  to: storableInstantSchema.optional(),
  limit: requestPageLimit(50),
});
export type RequestListQuery = z.infer<typeof requestListQuerySchema>;

/** The longest long-poll of GET /api/v1/authorization-requests/{requestId}, in seconds. */
export const MAX_WAIT_SECONDS = 30;

/** GET /api/v1/authorization-requests/{requestId}: long-poll up to `wait` seconds while pending. */
export const requestWaitQuerySchema = z.object({
  wait: z.coerce.number().int().min(0).max(MAX_WAIT_SECONDS).optional(),
});
