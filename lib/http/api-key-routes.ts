import { z } from "zod";
import { refineReadable } from "@/lib/stepauth";
import { createApiKey, findApiKey, listApiKeys, revokeApiKey } from "@/db/queries/api-keys";
import { apiKeyScopes } from "@/db/schema";
import { AppError } from "@/lib/errors/app-error";
import type { TenantRequest } from "./api-route";
import { json } from "./api-route";
import { readJsonBody, uuidParam } from "./json-body";

// Shared by /api/v1/api-keys (API key with `admin`) and /api/console/api-keys (owner session).

const createApiKeySchema = z.object({
  name: z.string().trim().min(1).max(100).superRefine(refineReadable("name")),
  scopes: z.array(z.enum(apiKeyScopes)).min(1),
});

export async function listApiKeysRoute({ db, ctx }: TenantRequest<unknown>) {
  return json({ data: await listApiKeys(db, ctx) });
}

export async function createApiKeyRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const input = await readJsonBody(request, createApiKeySchema);
  const createdBy = ctx.actor.type === "user" ? ctx.actor.userId : null;
  const { apiKey, secret } = await createApiKey(db, ctx, { ...input, createdBy });
  return json({ ...apiKey, secret }, 201);
}

export async function getApiKeyRoute({ db, ctx, params }: TenantRequest<{ id: string }>) {
  const apiKey = await findApiKey(db, ctx, uuidParam(params.id, "API key"));
  if (!apiKey) throw new AppError("not_found", "No such API key");
  return json(apiKey);
}

export async function revokeApiKeyRoute({ db, ctx, params }: TenantRequest<{ id: string }>) {
  const apiKey = await revokeApiKey(db, ctx, uuidParam(params.id, "API key"));
  if (!apiKey) throw new AppError("not_found", "No such API key");
  return json(apiKey);
}
