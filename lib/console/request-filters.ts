import { z } from "zod";
import type { RequestListFilters } from "@/db/queries/authorization-requests";
import { validationFailed } from "@/lib/errors/app-error";
import { decodeRequestCursor, requestListFilterFields, requestPageLimit } from "@/lib/query-input/request-list";

/** Time-range presets of the audit trail, in hours (`all` = no lower bound). */
export const requestRanges = { "1h": 1, "24h": 24, "7d": 24 * 7, "30d": 24 * 30, all: null } as const;
export type RequestRange = keyof typeof requestRanges;

// The console's list query: the public API's filters (one definition) with a relative `range` instead
// of from/to, so a page and its client agree on one query key while `from` is computed on the server.
// Pages of 25 (the table's page) where the API's default is 50: both are what their readers rely on.
export const requestFiltersSchema = z.object({
  ...requestListFilterFields,
  range: z.enum(Object.keys(requestRanges) as [RequestRange, ...RequestRange[]]).optional(),
  limit: requestPageLimit(25),
});
export type RequestFilterParams = z.infer<typeof requestFiltersSchema>;

/** The filter fields a URL may carry (everything but paging). */
export const filterKeys = ["status", "actionType", "category", "principalType", "authorizer", "range", "q"] as const;

/** Reads filters from URL search params; blank values mean "no filter". */
export function parseRequestFilters(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): RequestFilterParams {
  const entries =
    params instanceof URLSearchParams
      ? [...params.entries()]
      : Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]);
  const present = Object.fromEntries(entries.filter(([, v]) => typeof v === "string" && v.trim() !== ""));
  const parsed = requestFiltersSchema.safeParse(present);
  if (!parsed.success) throw validationFailed(parsed.error, "Invalid filters");
  return parsed.data;
}

/** The query-function input for listRequests, with `range` turned into a lower bound on created_at. */
export function toListFilters(params: RequestFilterParams, now = Date.now()): RequestListFilters {
  const { range, cursor, ...rest } = params;
  const hours = range ? requestRanges[range] : null;
  return { ...rest, from: hours ? new Date(now - hours * 3_600_000) : undefined, cursor: decodeRequestCursor(cursor) };
}

/** The filters that are set, as a plain object (query keys and URLs). */
export function activeFilters(params: RequestFilterParams): Partial<Record<(typeof filterKeys)[number], string>> {
  return Object.fromEntries(filterKeys.flatMap((k) => (params[k] ? [[k, String(params[k])]] : [])));
}
