import { z } from "zod";
import { healthOf, refusedCallbackHealth } from "@/db/queries/audit";
import {
  createAuthorizer,
  deleteAuthorizer,
  findAuthorizerByName,
  listAuthorizers,
  updateAuthorizer,
} from "@/db/queries/authorizers";
import { findConsoleAuthorizer } from "@/lib/console/authorizer-views";
import { consoleQueryLoaders } from "@/lib/console/queries";
import { sendAuthorizerTestRequest } from "@/lib/console/authorizer-test-request";
import { AppError } from "@/lib/errors/app-error";
import { isValidKeyId } from "@/lib/stepauth";
import { json, type TenantRequest } from "../api-route";
import { readJsonBody, readOptionalBody } from "../json-body";
import { authorizerNameParam } from "../params";
import { createAuthorizerSchema, deleteAuthorizerSchema, updateAuthorizerSchema } from "../schemas/authorizers";

// /api/v1/authorizers/** and /api/console/authorizers/**: the writes are shared; the console reads its
// own views (key and signing details for its screens) and sends test requests.

type NameParams = { name: string };

const notFound = () => new AppError("not_found", "No such authorizer");

// Reads add the callback health: refused callbacks in the last hour and the last cause.
export async function listAuthorizersRoute({ db, ctx }: TenantRequest<unknown>) {
  const [list, health] = await Promise.all([listAuthorizers(db, ctx), refusedCallbackHealth(db, ctx)]);
  return json({ data: list.map((a) => ({ ...a, callbackHealth: healthOf(health, a.id) })) });
}

export async function createAuthorizerRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const input = await readJsonBody(request, createAuthorizerSchema);
  const created = await createAuthorizer(db, ctx, input);
  return json({ ...created, callbackHealth: healthOf(new Map(), created.id) }, 201);
}

export async function getAuthorizerRoute({ db, ctx, params }: TenantRequest<NameParams>) {
  const [authorizer, health] = await Promise.all([
    findAuthorizerByName(db, ctx, authorizerNameParam(params.name)),
    refusedCallbackHealth(db, ctx),
  ]);
  if (!authorizer) throw notFound();
  return json({ ...authorizer, callbackHealth: healthOf(health, authorizer.id) });
}

export async function updateAuthorizerRoute({ db, ctx, params, request }: TenantRequest<NameParams>) {
  const name = authorizerNameParam(params.name);
  const { confirmRemovedKeyIds, ...patch } = await readJsonBody(request, updateAuthorizerSchema);
  const authorizer = await updateAuthorizer(db, ctx, name, patch, { confirmedRemovedKeyIds: confirmRemovedKeyIds });
  if (!authorizer) throw notFound();
  return json({ ...authorizer, callbackHealth: healthOf(await refusedCallbackHealth(db, ctx), authorizer.id) });
}

/** Deleting one that pending requests wait on needs its name typed again. */
export async function deleteAuthorizerRoute({ db, ctx, params, request }: TenantRequest<NameParams>) {
  const { confirmName } = await readOptionalBody(request, deleteAuthorizerSchema);
  const deleted = await deleteAuthorizer(db, ctx, authorizerNameParam(params.name), { confirmedName: confirmName });
  if (!deleted) throw notFound();
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}

export async function listConsoleAuthorizersRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await consoleQueryLoaders.authorizers(db, ctx));
}

export async function getConsoleAuthorizerRoute({ db, ctx, params }: TenantRequest<NameParams>) {
  const authorizer = await findConsoleAuthorizer(db, ctx, authorizerNameParam(params.name));
  if (!authorizer) throw notFound();
  return json(authorizer);
}

// `keyId`: sign with that tenant key alone ("test with the new key only").
const testRequestSchema = z.strictObject({
  keyId: z.string().refine(isValidKeyId, "keyId is not a valid key id").optional(),
});

export async function sendTestRequestRoute({ db, ctx, params, request }: TenantRequest<NameParams>) {
  const name = authorizerNameParam(params.name);
  const noBody = request.body === null || request.headers.get("content-length") === "0";
  const { keyId } = noBody ? {} : await readJsonBody(request, testRequestSchema);
  return json(await sendAuthorizerTestRequest(db, ctx, name, { onlyKeyId: keyId }));
}
