import { z } from "zod";
import type { RequestListFilters } from "@/db/queries/authorization-requests";
import { decodeCursor } from "@/db/queries/authorization-requests";
import { requestStatus } from "@/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { storableTextProblem } from "@/lib/stepauth";

/** Time-range presets of the audit trail, in hours (`all` = no lower bound). */
export const requestRanges = { "1h": 1, "24h": 24, "7d": 24 * 7, "30d": 24 * 30, all: null } as const;
export type RequestRange = keyof typeof requestRanges;

// Filters reach SQL as text (pages read them too, not only the wrapped API routes).
const isStorable = (value: string) => storableTextProblem(value) === null;

// The console's list query: the public API's filters plus a relative `range`, so a page and its
// client agree on one query key while `from` is computed on the server.
export const requestFiltersSchema = z.object({
  status: z.enum(requestStatus.enumValues).optional(),
  actionType: z.string().trim().max(200).refine(isStorable, "contains a control character").optional(),
  category: z.string().trim().max(200).refine(isStorable, "contains a control character").optional(),
  principalType: z.enum(["human", "service", "agent"]).optional(),
  authorizer: z.string().trim().max(64).refine(isStorable, "contains a control character").optional(),
  range: z.enum(Object.keys(requestRanges) as [RequestRange, ...RequestRange[]]).optional(),
  q: z.string().trim().max(200).refine(isStorable, "contains a control character").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(25),
  cursor: z.string().max(300).refine(isStorable, "contains a control character").optional(),
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
  if (!parsed.success) {
    throw new AppError("validation_failed", "Invalid filters", {
      details: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  return parsed.data;
}

/** The query-function input for listRequests, with `range` turned into a lower bound on created_at. */
export function toListFilters(params: RequestFilterParams, now = Date.now()): RequestListFilters {
  const { range, cursor, ...rest } = params;
  const decoded = cursor ? decodeCursor(cursor) : undefined;
  if (decoded === null) throw new AppError("validation_failed", "Invalid cursor");
  const hours = range ? requestRanges[range] : null;
  return { ...rest, from: hours ? new Date(now - hours * 3_600_000) : undefined, cursor: decoded };
}

/** The filters that are set, as a plain object (query keys and URLs). */
export function activeFilters(params: RequestFilterParams): Partial<Record<(typeof filterKeys)[number], string>> {
  return Object.fromEntries(filterKeys.flatMap((k) => (params[k] ? [[k, String(params[k])]] : [])));
}
