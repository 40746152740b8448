import { z } from "zod";
import { requestStatuses } from "@/db/enum-values";
import { decodeCursor, type RequestListFilters } from "@/db/queries/authorization-requests";
import { AppError } from "@/lib/errors/app-error";
import { storableTextProblem } from "@/lib/stepauth";

// The authorization-request list's query, defined once: GET /api/v1/authorization-requests takes
// these fields (lib/http/schemas/requests.ts), and the console's requests page
// (lib/console/request-filters.ts) takes the same ones.

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

/** The list's `cursor` (a `nextCursor` it answered before), decoded; one it never gave out is refused. */
export function decodeRequestCursor(cursor: string | undefined): RequestListFilters["cursor"] {
  if (!cursor) return undefined; // `?cursor=` is the first page, as it always was
  const decoded = decodeCursor(cursor);
  if (decoded === null) throw new AppError("validation_failed", "Invalid cursor");
  return decoded;
}
