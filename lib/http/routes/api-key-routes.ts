import { createApiKey, findApiKey, listApiKeys, revokeApiKey } from "@/db/queries/api-keys";
import type { ApiKeyScope } from "@/db/schema";
import { grantableScopes } from "@/lib/auth/permissions";
import { consoleQueryLoaders } from "@/lib/console/queries";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { json, type TenantRequest } from "../api-route";
import { readJsonBody, readOptionalBody } from "../json-body";
import { uuidParam } from "../params";
import { createApiKeySchema, revokeApiKeySchema } from "../schemas/api-keys";

// /api/v1/api-keys (API key with `admin`) and /api/console/api-keys (owner session).

export async function listApiKeysRoute({ db, ctx }: TenantRequest<unknown>) {
  return json({ data: await listApiKeys(db, ctx) });
}

export async function listConsoleApiKeysRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await consoleQueryLoaders.apiKeys(db, ctx));
}

export async function createApiKeyRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const input = await readJsonBody(request, createApiKeySchema);
  assertScopesGrantable(ctx, input.scopes);
  const createdBy = ctx.actor.type === "user" ? ctx.actor.userId : null;
  const { apiKey, secret } = await createApiKey(db, ctx, { ...input, createdBy });
  return json({ ...apiKey, secret }, 201);
}

/** A key or a console role grants only scopes it holds itself (no escalation by minting a key). */
function assertScopesGrantable(ctx: TenantContext, scopes: readonly ApiKeyScope[]): void {
  const grantable = grantableScopes(ctx);
  const excess = scopes.filter((scope) => !grantable.includes(scope));
  if (excess.length === 0) return;
  const message = `You may not grant ${excess.join(", ")}: a new key can only have scopes you hold (${grantable.join(", ") || "none"})`;
  throw new AppError(ctx.actor.type === "api_key" ? "insufficient_scope" : "forbidden", message, {
    details: { notGrantable: excess },
  });
}

export async function getApiKeyRoute({ db, ctx, params }: TenantRequest<{ id: string }>) {
  const apiKey = await findApiKey(db, ctx, uuidParam(params.id, "API key"));
  if (!apiKey) throw new AppError("not_found", "No such API key");
  return json(apiKey);
}

/** Revoking a key in use needs its name typed again (see revokeApiKey). */
export async function revokeApiKeyRoute({ db, ctx, params, request }: TenantRequest<{ id: string }>) {
  const id = uuidParam(params.id, "API key");
  const { confirmName } = await readOptionalBody(request, revokeApiKeySchema);
  const apiKey = await revokeApiKey(db, ctx, id, { confirmedName: confirmName });
  if (!apiKey) throw new AppError("not_found", "No such API key");
  return json(apiKey);
}
