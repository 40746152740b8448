import { z } from "zod";
import { activateSigningKey, createSigningKey, listSigningKeys, retireSigningKey } from "@/db/queries/signing-keys";
import { AppError } from "@/lib/errors/app-error";
import { isValidKeyId } from "@/lib/stepauth";
import { json, type TenantRequest } from "../api-route";
import { readJsonBody } from "../json-body";

// Shared by /api/v1/signing-keys (API key with `admin`) and, later, the console. Views never carry private halves.

type KeyIdParams = { keyId: string };

const createSigningKeySchema = z.strictObject({
  keyId: z.string().refine(isValidKeyId, "keyId is not a valid key id").optional(),
});

/** The body is optional here: no body (or an empty one) means "generate the keyId". */
async function readOptionalBody(request: Request): Promise<z.infer<typeof createSigningKeySchema>> {
  if (request.body === null || request.headers.get("content-length") === "0") return {};
  return readJsonBody(request, createSigningKeySchema);
}

function keyIdParam(value: string | undefined): string {
  if (!isValidKeyId(value)) throw new AppError("not_found", "No such signing key");
  return value;
}

export async function listSigningKeysRoute({ db, ctx }: TenantRequest<unknown>) {
  return json({ data: await listSigningKeys(db, ctx) });
}

export async function createSigningKeyRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const { keyId } = await readOptionalBody(request);
  return json(await createSigningKey(db, ctx, keyId), 201);
}

export async function activateSigningKeyRoute({ db, ctx, params }: TenantRequest<KeyIdParams>) {
  const key = await activateSigningKey(db, ctx, keyIdParam(params.keyId));
  if (!key) throw new AppError("not_found", "No such signing key");
  return json(key);
}

export async function retireSigningKeyRoute({ db, ctx, params }: TenantRequest<KeyIdParams>) {
  const key = await retireSigningKey(db, ctx, keyIdParam(params.keyId));
  if (!key) throw new AppError("not_found", "No such signing key");
  return json(key);
}
