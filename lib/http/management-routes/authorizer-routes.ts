import { z } from "zod";
import { healthOf, refusedCallbackHealth } from "@/db/queries/audit";
import {
  createAuthorizer,
  deleteAuthorizer,
  findAuthorizerByName,
  listAuthorizers,
  updateAuthorizer,
} from "@/db/queries/authorizers";
import { AppError } from "@/lib/errors/app-error";
import { json, type TenantRequest } from "../api-route";
import { readJsonBody, readOptionalBody } from "../json-body";
import { AUTHORIZER_NAME_PATTERN, createAuthorizerSchema, updateAuthorizerSchema } from "./authorizer-schemas";

// Shared by /api/v1/authorizers (API key with `admin`) and, later, the console.

type NameParams = { name: string };

/** A path name that cannot be an authorizer name names nothing: 404 before the database. */
function authorizerNameParam(value: string | undefined): string {
  if (!value || !AUTHORIZER_NAME_PATTERN.test(value)) throw new AppError("not_found", "No such authorizer");
  return value;
}

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
const deleteAuthorizerSchema = z.strictObject({ confirmName: z.string().max(100).optional() });

export async function deleteAuthorizerRoute({ db, ctx, params, request }: TenantRequest<NameParams>) {
  const { confirmName } = await readOptionalBody(request, deleteAuthorizerSchema);
  const deleted = await deleteAuthorizer(db, ctx, authorizerNameParam(params.name), { confirmedName: confirmName });
  if (!deleted) throw notFound();
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}
