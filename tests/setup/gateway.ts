import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import * as requestItem from "@/app/api/v1/authorization-requests/[requestId]/route";
import * as requestCancel from "@/app/api/v1/authorization-requests/[requestId]/cancel/route";
import * as requestExecution from "@/app/api/v1/authorization-requests/[requestId]/execution/route";
import * as requestCollection from "@/app/api/v1/authorization-requests/route";
import * as callback from "@/app/api/stepauth/callback/[authorizerId]/route";
import type { Database } from "@/db/client";
import { authorizers, tenantSettings, type Authorizer } from "@/db/schema";
import { createSigningKey, listSigningKeys } from "@/db/queries/signing-keys";
import { sealWebhookSecret } from "@/db/queries/tenant-settings";
import { issueTenantContext, type TenantContext } from "@/lib/auth/tenant-context";
// The worker's job kinds and periodic tasks, registered as instrumentation.ts registers them.
import "@/lib/gateway/jobs";
import "@/lib/sandbox/jobs";
import { runDueJobs } from "@/lib/jobs/job-runner";
import type { TrustedKey } from "@/lib/stepauth";
import { startAppServer } from "./app-server";
import { createTestTenant, type TestTenant } from "./database";
import { authorizerKey } from "./stub-authorizer";

type RouteTable = Parameters<typeof startAppServer>[0];

/**
 * The app's gateway routes (plus `extraRoutes`) over real HTTP on 127.0.0.1, for the whole test
 * file. With `asPublicUrl`, the server's URL is also the gateway's public URL (callbacks, sandbox).
 */
export function setupAppServer(extraRoutes: RouteTable = {}, options: { asPublicUrl?: boolean } = {}): () => string {
  let server: Awaited<ReturnType<typeof startAppServer>> | undefined;
  beforeAll(async () => {
    server = await startAppServer({
      "/api/v1/authorization-requests": requestCollection,
      "/api/v1/authorization-requests/:requestId": requestItem,
      "/api/v1/authorization-requests/:requestId/cancel": requestCancel,
      "/api/v1/authorization-requests/:requestId/execution": requestExecution,
      "/api/stepauth/callback/:authorizerId": callback,
      ...extraRoutes,
    });
    if (options.asPublicUrl) process.env.GATEWAY_PUBLIC_URL = server.url;
  });
  afterAll(async () => {
    if (options.asPublicUrl) delete process.env.GATEWAY_PUBLIC_URL;
    await server?.close();
  });
  return () => server!.url;
}

export interface GatewayTenant extends TestTenant {
  ctx: TenantContext;
  authorizers: Record<string, Authorizer>;
  webhookSecret: string;
  /** The tenant's public keys, as an authorizer registers them. */
  spKeys: () => Promise<TrustedKey[]>;
}

/** A tenant wired for the gateway: a signing key, authorizers, fast retries, optional webhook and script. */
export async function createGatewayTenant(
  db: Database,
  options: {
    appUrl: string;
    authorizers: {
      name: string;
      url: string;
      isDefault?: boolean;
      pollOnly?: boolean;
      publicKeys?: Authorizer["publicKeys"];
    }[];
    webhookUrl?: string;
    routingScript?: string;
    unavailabilityPolicy?: "fail_closed" | "fail_open";
    maxAttempts?: number;
  },
): Promise<GatewayTenant> {
  const tenant = await createTestTenant(db);
  const ctx = issueTenantContext(tenant.tenantId, { type: "user", userId: tenant.owner.id, role: "owner" });
  await createSigningKey(db, ctx);
  const rows = await db
    .insert(authorizers)
    .values(
      options.authorizers.map((a, i) => ({
        tenantId: tenant.tenantId,
        name: a.name,
        endpoint: a.url,
        spId: `sp_${a.name}_${tenant.tenantId.slice(0, 8)}`,
        publicKeys: a.publicKeys ?? [
          { keyId: authorizerKey.keyId, algorithm: "ed25519" as const, publicKey: authorizerKey.publicKey },
        ],
        isDefault: a.isDefault ?? i === 0,
        pollOnly: a.pollOnly ?? false,
      })),
    )
    .returning();
  const webhookSecret = `whsec_${randomBytes(24).toString("base64")}`;
  const sealed = options.webhookUrl ? sealWebhookSecret(ctx, webhookSecret) : null;
  await db.insert(tenantSettings).values({
    tenantId: tenant.tenantId,
    publicBaseUrl: options.appUrl,
    routingScript: options.routingScript ?? null,
    unavailabilityPolicy: options.unavailabilityPolicy ?? "fail_closed",
    retryPolicy: { maxAttempts: options.maxAttempts ?? 3, baseDelayMs: 20, factor: 2, attemptTimeoutMs: 1000 },
    webhookUrl: options.webhookUrl ?? null,
    webhookSecretCiphertext: sealed?.ciphertext ?? null,
    webhookSecretKeyVersion: sealed?.keyVersion ?? null,
  });
  return {
    ...tenant,
    ctx,
    webhookSecret,
    authorizers: Object.fromEntries(rows.map((r) => [r.name, r])),
    spKeys: async () =>
      (await listSigningKeys(db, ctx))
        .filter((k) => k.state !== "retired")
        .map((k) => ({ keyId: k.keyId, publicKey: k.publicKey })),
  };
}

/** A wipe request in the shape SP services send. */
export function wipeRequest(overrides: Record<string, unknown> = {}) {
  return {
    principal: {
      type: "agent",
      attributes: [{ key: "name", label: "Name", value: "Support Agent (v3)" }],
      operator: {
        type: "human",
        attributes: [
          { key: "email", label: "Email", value: "it-admin@acme.com" },
          { key: "department", label: "Department", value: "IT" },
        ],
      },
    },
    action: {
      type: "device.wipe",
      category: "infra.destroy",
      summary:
        "If approved, the MacBook Pro assigned to Jane Doe (C02ZX1ABCDEF) will be remotely wiped. This is not reversible.",
      details: [{ key: "device", label: "Device", value: [{ key: "serial", label: "Serial", value: "C02ZX1ABCDEF" }] }],
    },
    ...overrides,
  };
}

/** Calls the gateway's HTTP API with an API key. */
export async function api(
  baseUrl: string,
  apiKey: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** Runs due background jobs until none are left (bounded). */
export async function drainJobs(db: Database, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i += 1) if ((await runDueJobs(db, 32)) === 0) return;
}
