import { z } from "zod";
import { requestStatuses } from "@/db/enum-values";
import { storableTextProblem } from "@/lib/stepauth";
import { storableInstantSchema } from "../instant-param";

// The authorization-request list's query, defined once: GET /api/v1/authorization-requests takes
// these fields, and the console's requests page (lib/console/request-filters.ts) takes the same ones.

// Filters reach SQL as text; pages read them without the route wrapper's control-character check.
const isStorable = (value: string) => storableTextProblem(value) === null;
const filterText = (max: number) => z.string().trim().max(max).refine(isStorable, "contains a control character");

/** The filter and paging fields both lists take. */
export const requestListFilterFields = {
  status: z.enum(requestStatuses).optional(),
  actionType: filterText(200).optional(),
  category: filterText(200).optional(),
  principalType: z.enum(["human", "service", "agent"]).optional(),
  authorizer: filterText(64).optional(),
  q: filterText(200).optional(),
  cursor: z.string().max(300).refine(isStorable, "contains a control character").optional(),
};

/** Rows per page: 1–200. The default is each list's own (see its schema). */
export const requestPageLimit = (fallback: number) => z.coerce.number().int().min(1).max(200).default(fallback);

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
