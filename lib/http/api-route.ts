/**
 * The route wrappers, and the convention every API route follows:
 *
 * - `app/api/**\/route.ts` is wiring only: `export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({ GET:
 *   withApiKey("requests:read", listRequestsRoute) })`: one wrapper from this file (it authenticates,
 *   resolves the tenant, checks the permission) around ONE route body per method; plus Next's segment
 *   config (`dynamic`, `maxDuration`) and a "why" comment on an unusual permission.
 * - Route bodies live in `lib/http/routes/<area>-routes.ts`, one module per area (requests, authorizers,
 *   settings, signing keys, API keys, routing, audit, members, sandbox, overview, ops), whichever
 *   surface serves them (v1, console, sandbox): `<verb><Noun>Route(input)` reads the request with the
 *   shared parsers, calls one domain or query function, and answers `json(...)`. No SQL and no
 *   drizzle-orm there: queries are db/queries/*, orchestration lib/gateway, lib/sandbox, lib/console.
 * - Input is read once, the same way: bodies with readJsonBody/readOptionalBody (./json-body), path
 *   segments and query strings with ./params (uuidParam, requestIdParam, parseQuery…); request schemas
 *   sit in lib/http/schemas/<area>.ts and lib/client/api-schemas.ts, each defined once and imported by
 *   both the route and the OpenAPI table (the document describes what the routes validate with), or
 *   above the console route body that alone uses them.
 * - Errors are thrown, never answered by hand: every wrapper's catch is toErrorResponse, which maps
 *   AppError, zod and protocol (StepAuthError) failures through the one table in lib/errors/app-error.ts.
 */
import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { getDb, type Database } from "@/db/client";
import { authenticateApiKey } from "@/lib/auth/api-key-auth";
import { authenticateConsoleRequest } from "@/lib/auth/console-auth";
import type { Permission } from "@/lib/auth/permissions";
import { requirePermission, type TenantContext } from "@/lib/auth/tenant-context";
import { AppError, errorResponse, toAppError } from "@/lib/errors/app-error";
import { authenticateSpEnvelope, type AuthenticatedSpCall } from "@/lib/sandbox/inbound";
import { storableTextProblem } from "@/lib/stepauth";
import { requestOrigin } from "@/lib/net/client-address";
import { readJsonBody } from "./json-body";
import { admitTenantRequest } from "@/lib/fairness/tenant-fair-share";
import { apiKeyRateLimit, takeToken } from "@/lib/fairness/rate-limit";
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

/**
 * Turns anything thrown into the JSON error body through the one error table (toAppError), protocol
 * failures included; never leaks internals, never answers HTML.
 */
export function toErrorResponse(error: unknown): Response {
  const known = toAppError(error);
  if (known && known.code !== "internal_error") return errorResponse(known);
  console.error("unhandled error in API route", error);
  return errorResponse(known ?? new AppError("internal_error", "Something went wrong on our side"));
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

export interface SignedEnvelopeRequest<P> {
  request: Request;
  db: Database;
  params: P;
}

/**
 * Authorizer-facing handlers (`/api/stepauth/**`). There is no API key or session: the caller is
 * authenticated by the signed envelope it sends, which the handler verifies against the keys of
 * the authorizer named in the URL before anything is written.
 */
export function withSignedEnvelope<P>(handler: (input: SignedEnvelopeRequest<P>) => Promise<Response>): RouteHandler {
  return async (request, context) => handler({ request, db: getDb(), params: (await context.params) as P });
}

/**
 * The `npm run bench` floors (/api/bench/**): 404 unless BENCH_FLOOR_ROUTE=true, before an API key is
 * even looked at, so in a normal deployment the route does not exist for anyone.
 */
export function withBenchFloorEnabled(handler: RouteHandler): RouteHandler {
  return async (request, context) => {
    if (!config().BENCH_FLOOR_ROUTE)
      throw new AppError("not_found", `No API route at ${new URL(request.url).pathname}`);
    return handler(request, context);
  };
}

/** What a sandbox handler receives: the database and the authenticated SP call. */
export interface SandboxSpRequest {
  db: Database;
  call: AuthenticatedSpCall;
}

/**
 * The sandbox authorizer's SP-facing handlers (`/api/sandbox-authorizer/**`): no session or API key;
 * the body is read with the 64 KiB limit, any body problem is the protocol's `malformed_request`, and
 * the SP is authenticated by its envelope signature against its registration before the handler runs.
 */
export function withSandboxSpEnvelope(handler: (input: SandboxSpRequest) => Promise<Response>): RouteHandler {
  return async (request) => {
    const db = getDb();
    let body: unknown;
    try {
      body = await readJsonBody(request, z.unknown());
    } catch (error) {
      // The protocol has no invalid_json or payload_too_large: every unreadable body is malformed_request.
      if (error instanceof AppError) throw new AppError("malformed_request", error.message);
      throw error;
    }
    return handler({ db, call: await authenticateSpEnvelope(db, body) });
  };
}

export interface CronRequest {
  request: Request;
  db: Database;
}

/** `/api/cron/**` for serverless hosts: `Authorization: Bearer $CRON_SECRET`, compared in constant time. */
export function withCronSecret(handler: (input: CronRequest) => Promise<Response>): RouteHandler {
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
