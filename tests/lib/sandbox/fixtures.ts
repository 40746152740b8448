import { eq } from "drizzle-orm";
import * as cancelRoute from "@/app/api/sandbox-authorizer/v1/authorization-requests/cancel/route";
import * as pollRoute from "@/app/api/sandbox-authorizer/v1/authorization-requests/poll/route";
import * as submitRoute from "@/app/api/sandbox-authorizer/v1/authorization-requests/route";
import type { Database } from "@/db/client";
import { sandboxRegistrations, type SandboxPolicyRule } from "@/db/schema";
import { upsertSandboxRegistration } from "@/db/queries/sandbox-registrations";
import { issueTenantContext } from "@/lib/auth/tenant-context";
import { encodeBase64, generateKeyPair, signJsonPayload } from "@/lib/stepauth";
import { createTestTenant } from "../../setup/database";
import { callRoute } from "../../setup/http";
import { vectors } from "../../fixtures/vectors";
export { vectors };
export const spKey = vectors.keys.sp as { keyId: string; privateKey: string; publicKey: string };
export const vectorAuthorizerKey = vectors.keys.authorizer as { keyId: string; privateKey: string; publicKey: string };

/** Registers an SP with the sandbox for a fresh tenant; the spId is freed first (tests share a database). */
export async function registerSp(
  db: Database,
  options: {
    spId: string;
    keys?: { keyId: string; publicKey: string }[];
    callbackUrlPattern?: string | null;
    rules?: SandboxPolicyRule[];
    rate?: [number, number];
  },
) {
  await db.delete(sandboxRegistrations).where(eq(sandboxRegistrations.spId, options.spId));
  const tenant = await createTestTenant(db);
  const ctx = issueTenantContext(tenant.tenantId, { type: "user", userId: tenant.owner.id, role: "owner" });
  const registration = await upsertSandboxRegistration(db, ctx, {
    spId: options.spId,
    name: options.spId,
    publicKeys: (options.keys ?? [spKey]).map((k) => ({
      keyId: k.keyId,
      algorithm: "ed25519" as const,
      publicKey: k.publicKey,
    })),
    callbackUrlPattern:
      options.callbackUrlPattern === undefined ? "https://mdm.acme.com/stepauth/cb" : options.callbackUrlPattern,
    policyRules: options.rules,
  });
  if (options.rate)
    await db
      .update(sandboxRegistrations)
      .set({ rateLimitPerSecond: options.rate[0], rateLimitBurst: options.rate[1] })
      .where(eq(sandboxRegistrations.id, registration.id));
  return { tenant, ctx, registration };
}

/** The vectors' request, changed, with a fresh requestId unless given; signed by `key`. */
export function signedRequest(
  changes: Record<string, unknown> = {},
  key: { keyId: string; privateKey: string } = spKey,
) {
  const payload = {
    ...vectors.authorizationRequest.payload,
    requestId: `req_${generateKeyPair()
      .publicKey.slice(-22)
      .replace(/[^A-Za-z0-9]/g, "x")}`,
    ...changes,
  };
  return { payload, envelope: signJsonPayload(payload, [key]) };
}

export const signReference = (requestId: string, spId: string, timestamp: string, key = spKey) =>
  signJsonPayload({ requestId, spId, timestamp }, [key]);

export const reencode = (payload: object) => encodeBase64(new TextEncoder().encode(JSON.stringify(payload)));

export const submit = (json: unknown) => callRoute(submitRoute.POST, { method: "POST", json });
export const poll = (json: unknown) => callRoute(pollRoute.POST, { method: "POST", json });
export const cancel = (json: unknown) => callRoute(cancelRoute.POST, { method: "POST", json });
