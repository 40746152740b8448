import { randomBytes } from "node:crypto";
import * as cancelRoute from "@/app/api/sandbox-authorizer/v1/authorization-requests/cancel/route";
import * as pollRoute from "@/app/api/sandbox-authorizer/v1/authorization-requests/poll/route";
import * as resultRoute from "@/app/api/sandbox-authorizer/v1/authorization-requests/result/route";
import * as submitRoute from "@/app/api/sandbox-authorizer/v1/authorization-requests/route";
import * as reviewRoute from "@/app/api/console/sandbox/requests/[id]/reviews/route";
import * as inboxRoute from "@/app/api/console/sandbox/requests/route";
import type { Database } from "@/db/client";
import { tenantSettings } from "@/db/schema";
import { createSigningKey } from "@/db/queries/signing-keys";
import { sealWebhookSecret } from "@/db/queries/tenant-settings";
import { issueTenantContext } from "@/lib/auth/tenant-context";
import { connectSandboxAuthorizer } from "@/lib/sandbox";
import { createTestTenant, createTestUser } from "../../setup/database";
import { api, setupAppServer } from "../../setup/gateway";
import { callRoute, sessionHeaders } from "../../setup/http";
import { startStubService } from "../../setup/stub-service";

/** The gateway and the sandbox authorizer served together over real HTTP on 127.0.0.1. */
export function setupGatewayWithSandbox(): () => string {
  // The sandbox endpoint and the callback URLs are built from the gateway's public URL.
  return setupAppServer(
    {
      "/api/sandbox-authorizer/v1/authorization-requests": submitRoute,
      "/api/sandbox-authorizer/v1/authorization-requests/poll": pollRoute,
      "/api/sandbox-authorizer/v1/authorization-requests/cancel": cancelRoute,
      "/api/sandbox-authorizer/v1/authorization-requests/result": resultRoute,
    },
    { asPublicUrl: true },
  );
}

/** A tenant connected to the sandbox (its default authorizer) with a verifying service webhook. */
export async function sandboxTenant(
  db: Database,
  appUrl: string,
  options: { serviceAnswer?: "success" | "accepted" } = {},
) {
  const tenant = await createTestTenant(db);
  const ctx = issueTenantContext(tenant.tenantId, { type: "user", userId: tenant.owner.id, role: "owner" });
  await createSigningKey(db, ctx);
  let secret = "";
  const service = await startStubService(() => secret, { answer: options.serviceAnswer });
  secret = `whsec_${randomBytes(24).toString("base64")}`;
  const sealed = sealWebhookSecret(ctx, secret);
  await db.insert(tenantSettings).values({
    tenantId: tenant.tenantId,
    publicBaseUrl: appUrl,
    retryPolicy: { maxAttempts: 3, baseDelayMs: 20, factor: 2, attemptTimeoutMs: 5000 },
    webhookUrl: service.url,
    webhookSecretCiphertext: sealed.ciphertext,
    webhookSecretKeyVersion: sealed.keyVersion,
  });
  const connection = await connectSandboxAuthorizer(db, ctx, { makeDefault: true });
  const admin = await createTestUser(db, tenant.tenantId, "admin");
  const viewer = await createTestUser(db, tenant.tenantId, "viewer");
  return {
    tenant,
    ctx,
    service,
    connection,
    admin,
    viewer,
    submit: (body: unknown) => api(appUrl, tenant.apiKey, "POST", "/api/v1/authorization-requests", body),
    get: (id: string) => api(appUrl, tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}`),
  };
}

/** Calls the inbox's console routes as a signed-in user. */
export const asReviewer = (userId: string) => ({
  inbox: async (view: "pending" | "decided" = "pending") =>
    callRoute(inboxRoute.GET, {
      path: `/api/console/sandbox/requests?view=${view}`,
      headers: await sessionHeaders(userId),
    }),
  review: async (id: string, verdict: "approve" | "deny", reason = "Checked with the requester") =>
    callRoute(reviewRoute.POST, {
      method: "POST",
      headers: await sessionHeaders(userId),
      json: { verdict, reason },
      params: { id },
    }),
});
