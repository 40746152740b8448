import { timingSafeEqual } from "node:crypto";
import { ZodError } from "zod";
import { getDb, type Database } from "@/db/client";
import { authenticateApiKey } from "@/lib/auth/api-key-auth";
import { authenticateConsoleRequest } from "@/lib/auth/console-auth";
import type { Permission } from "@/lib/auth/permissions";
import { requirePermission, type TenantContext } from "@/lib/auth/tenant-context";
import { AppError, errorResponse } from "@/lib/errors/app-error";
import { storableTextProblem } from "@/lib/stepauth";
import { requestOrigin } from "./client-address";
import { validationFailed } from "./json-body";
import { admitTenantRequest } from "@/lib/fairness/tenant-fair-share";
import { apiKeyRateLimit, takeToken } from "./rate-limit";
import { config } from "@/lib/config/env";

export const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof httpMethods)[number];

type RouteParams = Record<string, string | string[] | undefined>;
/** Next's route handler signature. */
export type RouteHandler = (request: Request, context: { params: Promise<RouteParams> }) => Promise<Response>;

export interface TenantRequest<P> {
  request: Request;
  ctx: TenantContext;
  params: P;
  db: Database;
}
type TenantHandler<P> = (input: TenantRequest<P>) => Promise<Response>;

/** Turns anything thrown into the JSON error body; never leaks internals, never answers HTML. */
export function toErrorResponse(error: unknown): Response {
  if (error instanceof AppError) return errorResponse(error);
  if (error instanceof ZodError) return errorResponse(validationFailed(error));
  console.error("unhandled error in API route", error);
  return errorResponse(new AppError("internal_error", "Something went wrong on our side"));
}

function catching(handler: RouteHandler): RouteHandler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/**
 * Builds every method export of a route file: the given handlers with errors mapped to JSON, and a
 * JSON `405 method_not_allowed` for the others (Next would answer an empty 405).
 */
export function apiRoute(handlers: Partial<Record<HttpMethod, RouteHandler>>): Record<HttpMethod, RouteHandler> {
  const allowed = Object.keys(handlers).join(", ");
  const notAllowed: RouteHandler = async (request) => {
    const response = errorResponse(
      new AppError("method_not_allowed", `${request.method} is not allowed here; use ${allowed}`),
    );
    response.headers.set("allow", allowed);
    return response;
  };
  return Object.fromEntries(httpMethods.map((m) => [m, handlers[m] ? catching(handlers[m]) : notAllowed])) as Record<
    HttpMethod,
    RouteHandler
  >;
}

function tenantHandler<P>(
  authenticate: (db: Database, request: Request) => Promise<TenantContext>,
  permission: Permission,
  handler: TenantHandler<P>,
): RouteHandler {
  return async (request, context) => {
    // Next passes no params for a route without dynamic segments.
    const params: RouteParams = (await context?.params) ?? {};
    assertStorableRequestText(request, params);
    const db = getDb();
    const ctx = await authenticate(db, request);
    requirePermission(ctx, permission);
    return handler({ request, ctx, db, params: params as P });
  };
}

/** How a `/api/v1/**` handler takes its tenant's fair share of this instance (lib/fairness). */
export interface ApiKeyRouteOptions {
  /**
   * `"handler"`: the handler admits itself (admitTenantRequest), because part of its work is not
   * ordinary work: the request long-poll, whose waiting has its own caps and costs nothing. Said by
   * the route, never by the query string: every other route takes its share, whatever `?wait=` says.
   */
  fairShare?: "handler";
}

/**
 * Every `/api/v1/**` handler: Bearer API key → TenantContext → rate limit → permission check → the
 * tenant's fair share of this instance (lib/fairness), unless the route admits itself (options.fairShare).
 */
export function withApiKey<P = Record<string, never>>(
  permission: Permission,
  handler: TenantHandler<P>,
  options: ApiKeyRouteOptions = {},
): RouteHandler {
  const authenticate = async (db: Database, request: Request) => {
    const ctx = await authenticateApiKey(db, request.headers);
    const { perSecond, burst } = apiKeyRateLimit();
    const wait = takeToken(ctx.actor.type === "api_key" ? ctx.actor.apiKeyId : ctx.tenantId, perSecond, burst);
    if (wait > 0) throw new AppError("rate_limited", "Too many requests for this API key", { retryAfter: wait });
    return ctx;
  };
  if (options.fairShare === "handler") return tenantHandler<P>(authenticate, permission, handler);
  return tenantHandler<P>(authenticate, permission, async (input) => {
    const release = await admitTenantRequest(input.ctx.tenantId, input.request.signal);
    try {
      return await handler(input);
    } finally {
      release();
    }
  });
}

/**
 * Authorizer-facing handlers (`/api/stepauth/**`). There is no API key or session: the caller is
 * authenticated by the signed envelope it sends, which the handler verifies against the keys of
 * the authorizer named in the URL before anything is written.
 */
export function withSignedEnvelope<P>(
  handler: (input: { request: Request; db: Database; params: P }) => Promise<Response>,
): RouteHandler {
  return async (request, context) => handler({ request, db: getDb(), params: (await context.params) as P });
}

/** `/api/cron/**` for serverless hosts: `Authorization: Bearer $CRON_SECRET`, compared in constant time. */
export function withCronSecret(
  handler: (input: { request: Request; db: Database }) => Promise<Response>,
): RouteHandler {
  return async (request) => {
    const secret = config().CRON_SECRET;
    if (!secret) throw new AppError("forbidden", "Set CRON_SECRET to enable this endpoint");
    const given = Buffer.from(request.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "");
    const expected = Buffer.from(secret);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new AppError("unauthenticated", "Wrong cron secret");
    return handler({ request, db: getDb() });
  };
}

/** Console `/api/console/**` handlers: session cookie → membership → permission; mutations must be same-origin. */
export function withConsoleSession<P = Record<string, never>>(
  permission: Permission,
  handler: TenantHandler<P>,
): RouteHandler {
  return tenantHandler(
    async (db, request) => {
      if (request.method !== "GET") assertSameOrigin(request);
      return authenticateConsoleRequest(db, request.headers);
    },
    permission,
    handler,
  );
}

// Cookies are SameSite=Lax already; checking Origin as well closes the door on CSRF for good. The
// scheme counts (http://host is another origin than https://host), `Origin: null` never matches, and
// X-Forwarded-Host is believed only behind TRUSTED_PROXY_HOPS proxies. AUTH_URL, when set, is the
// app's canonical origin and always matches.
function assertSameOrigin(request: Request): void {
  const origin = normalizedOrigin(request.headers.get("origin"));
  const allowed = [requestOrigin(request), normalizedOrigin(config().AUTH_URL)];
  if (!origin || !allowed.includes(origin))
    throw new AppError("forbidden", "Cross-origin console requests are refused");
}

function normalizedOrigin(value: string | null | undefined): string | null {
  if (!value || !URL.canParse(value)) return null;
  const origin = new URL(value).origin;
  return origin === "null" ? null : origin;
}

// Query parameters and path segments reach SQL as text: a NUL or control character would make the
// database, not the caller, fail. Refused here for every tenant route, before the handler runs.
function assertStorableRequestText(request: Request, params: RouteParams): void {
  for (const [name, value] of new URL(request.url).searchParams) {
    const problem = storableTextProblem(value);
    if (problem)
      throw new AppError("validation_failed", `Query parameter ${name} contains a control character`, {
        details: [{ path: name, message: problem }],
      });
  }
  for (const value of Object.values(params).flat()) {
    if (typeof value === "string" && storableTextProblem(value)) throw new AppError("not_found", "No such resource");
  }
}

export function json(body: unknown, status = 200, headers?: HeadersInit): Response {
  const response = Response.json(body, { status, headers });
  response.headers.set("cache-control", "no-store");
  return response;
}
