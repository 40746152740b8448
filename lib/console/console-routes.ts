import { getRequestView, listRequests } from "@/db/queries/authorization-requests";
import { getOverviewStats, listRecentDeliveries } from "@/db/queries/request-stats";
import { AppError } from "@/lib/errors/app-error";
import { json, type TenantRequest } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";
import { AUTHORIZER_NAME_PATTERN } from "@/lib/http/management-routes/authorizer-schemas";
import { isValidKeyId, REQUEST_ID_PATTERN } from "@/lib/stepauth";
import { z } from "zod";
import { findConsoleAuthorizer, listConsoleAuthorizers } from "./authorizer-views";
import { sendAuthorizerTestRequest } from "./authorizer-test-request";
import { exportFormats, exportRequests, type ExportFormat } from "./request-export";
import { parseRequestFilters, toListFilters } from "./request-filters";
import { checkRoutingScript } from "./routing-validation";
import { sendWebhookTestEvent } from "./webhook-test-event";

// Route bodies that only the console serves; each app/api/console route wraps one with withConsoleSession.

const noSuchAuthorizer = () => new AppError("not_found", "No such authorizer");
const noSuchRequest = () => new AppError("unknown_request", "No such authorization request");

function authorizerName(value: string | undefined): string {
  if (!value || !AUTHORIZER_NAME_PATTERN.test(value)) throw noSuchAuthorizer();
  return value;
}

export async function listConsoleAuthorizersRoute({ db, ctx }: TenantRequest<unknown>) {
  return json({ data: await listConsoleAuthorizers(db, ctx) });
}

export async function getConsoleAuthorizerRoute({ db, ctx, params }: TenantRequest<{ name: string }>) {
  const authorizer = await findConsoleAuthorizer(db, ctx, authorizerName(params.name));
  if (!authorizer) throw noSuchAuthorizer();
  return json(authorizer);
}

// `keyId`: sign with that tenant key alone ("test with the new key only").
const testRequestSchema = z.strictObject({
  keyId: z.string().refine(isValidKeyId, "keyId is not a valid key id").optional(),
});

export async function sendTestRequestRoute({ db, ctx, params, request }: TenantRequest<{ name: string }>) {
  const name = authorizerName(params.name);
  const noBody = request.body === null || request.headers.get("content-length") === "0";
  const { keyId } = noBody ? {} : await readJsonBody(request, testRequestSchema);
  return json(await sendAuthorizerTestRequest(db, ctx, name, { onlyKeyId: keyId }));
}

export async function listConsoleRequestsRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const filters = toListFilters(parseRequestFilters(new URL(request.url).searchParams));
  return json(await listRequests(db, ctx, filters));
}

export async function getConsoleRequestRoute({ db, ctx, params }: TenantRequest<{ requestId: string }>) {
  if (!REQUEST_ID_PATTERN.test(params.requestId)) throw noSuchRequest();
  const view = await getRequestView(db, ctx, params.requestId);
  if (!view) throw noSuchRequest();
  return json(view);
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

export async function overviewStatsRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await getOverviewStats(db, ctx));
}

const scriptSchema = z.strictObject({ script: z.string().max(64 * 1024) });

export async function validateRoutingScriptRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const { script } = await readJsonBody(request, scriptSchema);
  return json(await checkRoutingScript(db, ctx, script));
}

export async function webhookTestRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await sendWebhookTestEvent(db, ctx));
}

export async function webhookDeliveriesRoute({ db, ctx }: TenantRequest<unknown>) {
  return json({ data: await listRecentDeliveries(db, ctx) });
}
