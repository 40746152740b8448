/**
 * One-click connection of a tenant to the sandbox: register the tenant (its spId, its current
 * public keys, its exact callback URL) with the sandbox, and add the sandbox to the tenant's
 * authorizers by its endpoint URL with the sandbox's public key, like any other authorizer.
 * Idempotent: connecting again refreshes the keys (after a signing-key rotation, for instance).
 */
import type { Database } from "@/db/client";
import type { SandboxRegistration } from "@/db/schema";
import {
  createAuthorizer,
  findAuthorizerByName,
  setProvenKeys,
  updateAuthorizer,
  type AuthorizerView,
} from "@/db/queries/authorizers";
import { listSandboxRegistrations, upsertSandboxRegistration } from "@/db/queries/sandbox-registrations";
import { listSigningKeys } from "@/db/queries/signing-keys";
import { getTenantSettings } from "@/db/queries/tenant-settings";
import { tenantIdOf } from "@/db/queries/tenant-scope";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { callbackUrlFor } from "@/lib/gateway/tenant-runtime";
import { ensureSandboxSigningKey } from "./keys";
import { DEFAULT_POLICY_RULES } from "./policy";
import { config } from "@/lib/config/env";

/** The name the sandbox gets among the tenant's authorizers. */
export const SANDBOX_AUTHORIZER_NAME = "sandbox";

/** Where this app serves the sandbox: `${GATEWAY_PUBLIC_URL | AUTH_URL | http://localhost:$PORT}/api/sandbox-authorizer`. */
export function sandboxEndpoint(): string {
  const origin = config().GATEWAY_PUBLIC_URL ?? config().AUTH_URL ?? `http://localhost:${config().PORT}`;
  return `${origin.replace(/\/+$/, "")}/api/sandbox-authorizer`;
}

/** The spId a tenant has at the sandbox: derived from its id, so it is unique and stable. */
export function sandboxSpIdFor(ctx: TenantContext): string {
  return `sp_${tenantIdOf(ctx).replaceAll("-", "")}`;
}

/** What a connection produced. */
export interface SandboxConnection {
  authorizer: AuthorizerView;
  registration: SandboxRegistration;
  /** False when the tenant was connected already (keys were refreshed). */
  created: boolean;
}

/**
 * Connects the tenant in `ctx` to the sandbox. `makeDefault` makes it the default authorizer
 * (a tenant's first authorizer always becomes the default). Throws `no_signing_key` when the
 * tenant has no key to register, `conflict` when another authorizer already uses the name.
 *
 * @example
 * ```ts
 * const { authorizer } = await connectSandboxAuthorizer(db, ctx);
 * authorizer.endpoint; // "http://localhost:3000/api/sandbox-authorizer"
 * ```
 */
export async function connectSandboxAuthorizer(
  db: Database,
  ctx: TenantContext,
  options: { makeDefault?: boolean } = {},
): Promise<SandboxConnection> {
  const spKeys = (await listSigningKeys(db, ctx)).filter((k) => k.state !== "retired");
  // Oldest first: during a rotation the newest active key is the one the tenant is moving to.
  const active = spKeys.filter((k) => k.state === "active").at(-1);
  if (!active) throw new AppError("no_signing_key", "Create a signing key before connecting the sandbox");
  const key = await ensureSandboxSigningKey(db);
  const spId = sandboxSpIdFor(ctx);
  const fields = {
    endpoint: sandboxEndpoint(),
    spId,
    signingKeyId: active.keyId,
    publicKeys: [{ keyId: key.keyId, algorithm: "ed25519" as const, publicKey: key.publicKey }],
  };
  const existing = await findAuthorizerByName(db, ctx, SANDBOX_AUTHORIZER_NAME);
  if (existing && existing.spId !== spId)
    throw new AppError(
      "conflict",
      `An authorizer named ${SANDBOX_AUTHORIZER_NAME} already exists and is not the sandbox`,
    );
  const authorizer = existing
    ? ((await updateAuthorizer(db, ctx, SANDBOX_AUTHORIZER_NAME, {
        ...fields,
        ...(options.makeDefault ? { isDefault: true } : {}),
      })) ?? existing)
    : await createAuthorizer(db, ctx, {
        ...fields,
        name: SANDBOX_AUTHORIZER_NAME,
        isDefault: options.makeDefault ?? false,
      });
  const already = (await listSandboxRegistrations(db, ctx)).find((r) => r.spId === spId);
  const registration = await upsertSandboxRegistration(db, ctx, {
    spId,
    name: `Gateway tenant ${spId}`,
    publicKeys: spKeys.map((k) => ({ keyId: k.keyId, algorithm: "ed25519" as const, publicKey: k.publicKey })),
    callbackUrlPattern: callbackUrlFor(await getTenantSettings(db, ctx), authorizer.id),
    policyRules: already ? undefined : DEFAULT_POLICY_RULES,
  });
  // The sandbox verifies with exactly the registered keys, so it is known to accept each of them.
  const provenKeyIds = registration.publicKeys.map((k) => k.keyId);
  await setProvenKeys(db, ctx, authorizer.id, provenKeyIds);
  return { authorizer: { ...authorizer, provenKeyIds }, registration, created: !existing };
}

/**
 * Keeps a connected sandbox's registration in step with the tenant's unretired keys; called after
 * every signing-key change, so the sandbox never needs a manual reconnect and never blocks a
 * retirement. Does nothing for a tenant that never connected the sandbox.
 */
export async function refreshSandboxKeys(db: Database, ctx: TenantContext): Promise<void> {
  const existing = await findAuthorizerByName(db, ctx, SANDBOX_AUTHORIZER_NAME);
  if (!existing || existing.spId !== sandboxSpIdFor(ctx)) return;
  await connectSandboxAuthorizer(db, ctx);
}
