import { activateSigningKey, createSigningKey, listSigningKeys, retireSigningKey } from "@/db/queries/signing-keys";
import { refreshSandboxKeys } from "@/lib/sandbox/connect";
import { consoleQueryLoaders } from "@/lib/console/queries";
import { AppError } from "@/lib/errors/app-error";
import { json, type TenantRequest } from "../api-route";
import { readOptionalBody } from "../json-body";
import { keyIdParam } from "../params";
import { createSigningKeySchema, retireSigningKeySchema } from "../schemas/signing-keys";

// Shared by /api/v1/signing-keys (API key with `admin`) and the console. Views never carry private halves.
// After each change a connected sandbox re-registers the tenant's unretired keys by itself.

type KeyIdParams = { keyId: string };

export async function listSigningKeysRoute({ db, ctx }: TenantRequest<unknown>) {
  return json({ data: await listSigningKeys(db, ctx) });
}

export async function listConsoleSigningKeysRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await consoleQueryLoaders.signingKeys(db, ctx));
}

export async function createSigningKeyRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const { keyId } = await readOptionalBody(request, createSigningKeySchema);
  const key = await createSigningKey(db, ctx, keyId);
  await refreshSandboxKeys(db, ctx);
  return json(key, 201);
}

export async function activateSigningKeyRoute({ db, ctx, params }: TenantRequest<KeyIdParams>) {
  const key = await activateSigningKey(db, ctx, keyIdParam(params.keyId));
  if (!key) throw new AppError("not_found", "No such signing key");
  await refreshSandboxKeys(db, ctx);
  return json(key);
}

export async function retireSigningKeyRoute({ db, ctx, params, request }: TenantRequest<KeyIdParams>) {
  const keyId = keyIdParam(params.keyId);
  const { confirmKeyId } = await readOptionalBody(request, retireSigningKeySchema);
  if (confirmKeyId !== undefined && confirmKeyId !== keyId) {
    throw new AppError("validation_failed", "confirmKeyId must repeat the id of the key being retired", {
      details: [{ path: "confirmKeyId", message: `must be "${keyId}"` }],
    });
  }
  const key = await retireSigningKey(db, ctx, keyId, { confirmedKeyId: confirmKeyId });
  if (!key) throw new AppError("not_found", "No such signing key");
  await refreshSandboxKeys(db, ctx);
  return json(key);
}
