import { z } from "zod";
import type { Database } from "@/db/client";
import { getRequestStatus, getRequestView, listRequests } from "@/db/queries/authorization-requests";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { admitTenantRequest } from "@/lib/fairness/tenant-fair-share";
import { receiveDecisionCallback } from "@/lib/gateway/callback";
import { cancelAuthorizationRequest } from "@/lib/gateway/cancel";
import { claimExecution, reportExecution } from "@/lib/gateway/execution-claim";
import { admitLongPollOrHold, waitWhilePending } from "@/lib/gateway/long-poll";
import { executionRequestSchema, idempotencyKeySchema, submitRequestSchema } from "@/lib/client/api-schemas";
import { submitAuthorizationRequest } from "@/lib/gateway/submit";
import { consoleQueryLoaders } from "@/lib/console/queries";
import { exportFormats, exportRequests, type ExportFormat } from "@/lib/console/request-export";
import { parseRequestFilters, toListFilters } from "@/lib/console/request-filters";
import { decodeRequestCursor } from "@/lib/query-input/request-list";
import { json, type SignedEnvelopeRequest, type TenantRequest } from "../api-route";
import { readJsonBody } from "../json-body";
import { parseQuery, requestIdParam, uuidParam } from "../params";
import { MAX_WAIT_SECONDS, requestListQuerySchema, requestWaitQuerySchema } from "../schemas/requests";

// Authorization requests: /api/v1/authorization-requests/** (submit, list, read with a long-poll, cancel,
// claim and report execution), the console's requests pages, and the authorizers' decision callbacks.

type RequestIdParams = { requestId: string };

export async function submitRequestRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const rawKey = request.headers.get("idempotency-key");
  const key = rawKey === null ? null : idempotencyKeySchema.safeParse(rawKey);
  if (key && !key.success)
    throw new AppError("validation_failed", "Idempotency-Key must be 1–200 printable ASCII characters");
  const input = await readJsonBody(request, submitRequestSchema);
  const { view, replayed } = await submitAuthorizationRequest(db, ctx, input, key?.data ?? null);
  return json(view, view.status === "pending" ? 202 : 200, replayed ? { "idempotent-replayed": "true" } : undefined);
}

export async function listRequestsRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const { cursor, ...filters } = parseQuery(request, requestListQuerySchema, "Invalid filters");
  return json(await listRequests(db, ctx, { ...filters, cursor: decodeRequestCursor(cursor) }));
}

async function viewOf(db: Database, ctx: TenantContext, requestId: string) {
  const view = await getRequestView(db, ctx, requestId);
  if (!view) throw new AppError("unknown_request", "No such authorization request");
  return view;
}

/** `?wait=N` long-polls while pending; the route admits itself (withApiKey's fairShare: "handler"). */
export async function getRequestRoute({ db, ctx, request, params }: TenantRequest<RequestIdParams>) {
  const requestId = requestIdParam(params.requestId);
  const { wait = 0 } = parseQuery(
    request,
    requestWaitQuerySchema,
    `wait must be an integer from 0 to ${MAX_WAIT_SECONDS}`,
  );
  // A read without a wait is ordinary work and takes the tenant's fair share, like every route.
  if (wait === 0) {
    const release = await admitTenantRequest(ctx.tenantId, request.signal);
    try {
      return json(await viewOf(db, ctx, requestId));
    } finally {
      release();
    }
  }
  // Long-poll while pending: admitted under a cap per key and tenant before any database work, and
  // waiting holds no database connection (one shared ticker reads the database, the source of truth),
  // so it takes no fair share.
  const release = await admitLongPollOrHold(ctx, wait, request.signal);
  try {
    const status = await getRequestStatus(db, ctx, requestId);
    if (status === null) throw new AppError("unknown_request", "No such authorization request");
    if (status === "pending") await waitWhilePending(db, ctx, requestId, Date.now() + wait * 1000, request.signal);
  } finally {
    release();
  }
  return json(await viewOf(db, ctx, requestId));
}

/** 200 with the request, or 409 `already_decided` with it when a decision (or expiry) got there first. */
export async function cancelRequestRoute({ db, ctx, params }: TenantRequest<RequestIdParams>) {
  const requestId = requestIdParam(params.requestId);
  const outcome = await cancelAuthorizationRequest(db, ctx, requestId);
  const view = await getRequestView(db, ctx, requestId, { events: false });
  if (outcome.cancelled) return json(view);
  return json({ error: "already_decided", message: `The request is already ${outcome.status}`, request: view }, 409);
}

/**
 * An empty body or `{payloadSha256}` claims the execution (200 once, 409 after, 410 after its
 * window); `{status, error?}` reports its result.
 */
export async function executionRoute({ db, ctx, request, params }: TenantRequest<RequestIdParams>) {
  const requestId = requestIdParam(params.requestId);
  const hasBody = Number(request.headers.get("content-length") ?? "0") > 0 || request.headers.has("content-type");
  const body: z.infer<typeof executionRequestSchema> = hasBody
    ? await readJsonBody(request, executionRequestSchema)
    : {};
  if ("status" in body && body.status)
    return json(await reportExecution(db, ctx, requestId, { status: body.status, error: body.error }));
  return json(
    await claimExecution(db, ctx, requestId, "payloadSha256" in body ? { payloadSha256: body.payloadSha256 } : {}),
  );
}

// The console's requests pages: the same list with the page's filters (a relative range, pages of 25),
// one request, an export of every match, and cancelling one.

export async function listConsoleRequestsRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  return json(await consoleQueryLoaders.requests(db, ctx, params));
}

export async function getConsoleRequestRoute({ db, ctx, params }: TenantRequest<RequestIdParams>) {
  return json(await consoleQueryLoaders.request(db, ctx, requestIdParam(params.requestId)));
}

const exportFormatSchema = z.enum(Object.keys(exportFormats) as [ExportFormat, ...ExportFormat[]]);

export async function exportRequestsRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const params = new URL(request.url).searchParams;
  const format = exportFormatSchema.safeParse(params.get("format") ?? "csv");
  if (!format.success) throw new AppError("validation_failed", "format must be csv or jsonl");
  params.delete("format");
  const { limit: _limit, cursor: _cursor, ...filters } = toListFilters(parseRequestFilters(params));
  const { contentType, extension } = exportFormats[format.data];
  const filename = `stepauth-requests-${new Date().toISOString().slice(0, 19).replaceAll(":", "")}.${extension}`;
  return new Response(await exportRequests(db, ctx, filters, format.data), {
    headers: {
      "content-type": contentType,
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
}

/**
 * Cancels a pending request from its page, through the same logic as the API's cancel: 200 with
 * the request, or 409 `already_decided` (the console's client reads the error, not the request).
 */
export async function cancelConsoleRequestRoute({ db, ctx, params }: TenantRequest<RequestIdParams>) {
  const requestId = requestIdParam(params.requestId);
  const outcome = await cancelAuthorizationRequest(db, ctx, requestId);
  if (!outcome.cancelled) throw new AppError("already_decided", `The request is already ${outcome.status}`);
  return json(await getRequestView(db, ctx, requestId, { events: false }));
}

/**
 * An authorizer's decision, posted to the callback URL we gave it (/api/stepauth/callback/:authorizerId):
 * found by the opaque authorizer id in the path, authenticated by the envelope's signature.
 */
export async function decisionCallbackRoute({ db, request, params }: SignedEnvelopeRequest<{ authorizerId: string }>) {
  let authorizerId: string;
  try {
    authorizerId = uuidParam(params.authorizerId, "authorizer");
  } catch {
    throw new AppError("unknown_request", "No authorizer with this callback URL");
  }
  const envelope = await readJsonBody(request, z.unknown());
  return json(await receiveDecisionCallback(db, authorizerId, envelope));
}
