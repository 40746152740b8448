import type { z } from "zod";
import { AppError, validationFailed } from "@/lib/errors/app-error";
import {
  authorizerNameSegmentSchema,
  keyIdSegmentSchema,
  requestIdSegmentSchema,
  uuidSegmentSchema,
} from "./schemas/paths";

// Path segments and query strings, read the same way by every route: a path value that cannot name
// anything is a 404 before the database sees it (never a type error from SQL), and a query string is
// checked by one zod schema whose failure is `validation_failed` with a path and message per issue.

/** The path segment `value` read with `schema`; one that fails names nothing, so `notFound` is thrown. */
function segment(schema: z.ZodType<string>, value: string | undefined, notFound: () => AppError): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

/** A path id that is not a UUID cannot name anything: 404 rather than a database type error. */
export function uuidParam(value: string | undefined, what: string): string {
  return segment(uuidSegmentSchema, value, () => new AppError("not_found", `No such ${what}`)).toLowerCase();
}

/** An authorization request id (`req_…`) from the path; anything else is the protocol's unknown_request. */
export function requestIdParam(value: string | undefined): string {
  return segment(requestIdSegmentSchema, value, () => new AppError("unknown_request", "No such authorization request"));
}

/** An authorizer name from the path: one that cannot be a name names nothing. */
export function authorizerNameParam(value: string | undefined): string {
  return segment(authorizerNameSegmentSchema, value, () => new AppError("not_found", "No such authorizer"));
}

/** A signing key id from the path. */
export function keyIdParam(value: string | undefined): string {
  return segment(keyIdSegmentSchema, value, () => new AppError("not_found", "No such signing key"));
}

/**
 * The query string validated by `schema` (each parameter once; the last one wins, as before), with
 * `message` as the `validation_failed` message.
 */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S, message = "Invalid query"): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw validationFailed(parsed.error, message);
  return parsed.data;
}
