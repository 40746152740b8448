import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiOperations } from "@/lib/http/openapi-operations";
import { createTestTenant, setupTestDatabase } from "../../setup/database";
import { api, createGatewayTenant, setupAppServer, wipeRequest, type GatewayTenant } from "../../setup/gateway";
import { startStubAuthorizer, type StubAuthorizer } from "../../setup/stub-authorizer";
import { startStubService } from "../../setup/stub-service";
import { authorizerBody } from "../../app/api/v1/authorizer-fixtures";
import { documentChecker, loadRouteFiles, serverRoutes } from "./openapi-validator";

// Real answers of every /api/v1 operation (and the authorizer callback), success and error, over
// real HTTP, each checked against the served OpenAPI document: its status documented, its body valid.

const db = setupTestDatabase();
const appUrl = setupAppServer(serverRoutes(await loadRouteFiles("api/v1")));

let check: ReturnType<typeof documentChecker>;
let stubs: StubAuthorizer[] = [];
let service: Awaited<ReturnType<typeof startStubService>>;
/** A: webhook service, authorizer leaves requests pending. B: no webhook, authorizer approves at once. */
let a: GatewayTenant;
let b: GatewayTenant;

beforeAll(async () => {
  const served = await fetch(`${appUrl()}/api/v1/openapi.json`);
  const document = await served.json();
  check = documentChecker(document);
  check.response("GET", "/api/v1/openapi.json", { status: served.status, body: document });
  let keys: Awaited<ReturnType<GatewayTenant["spKeys"]>> = [];
  stubs = [
    await startStubAuthorizer({ mode: "pending", trustedSpKeys: () => keys }),
    await startStubAuthorizer({ mode: "approve", trustedSpKeys: () => keys }),
  ];
  let secret = "";
  service = await startStubService(() => secret);
  a = await createGatewayTenant(db(), {
    appUrl: appUrl(),
    authorizers: [{ name: "default", url: stubs[0]!.url }],
    webhookUrl: service.url,
  });
  secret = a.webhookSecret;
  b = await createGatewayTenant(db(), { appUrl: appUrl(), authorizers: [{ name: "default", url: stubs[1]!.url }] });
  keys = [...(await a.spKeys()), ...(await b.spKeys())];
});
afterAll(async () => {
  await Promise.all([...stubs.map((s) => s.close()), service?.close()]);
});

/** Calls the API and checks the answer (and, when it succeeded, the body sent) against the document. */
async function call(apiKey: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const response = await api(appUrl(), apiKey, method, path, body, headers);
  check.response(method, path, response);
  if (body !== undefined && response.status < 300) check.requestBody(method, path, body);
  return response;
}

const unknownRequestId = "req_0000000000000000unknown";

describe("the OpenAPI document against real answers", () => {
  it("describes the request lifecycle: submit, list, read, long-poll, cancel", async () => {
    const submitted = await call(a.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest());
    expect(submitted.status).toBe(202);
    expect((await call(a.apiKey, "POST", "/api/v1/authorization-requests", { principal: {} })).status).toBe(400);
    const id = submitted.body.requestId as string;

    await call(a.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest({ externalId: "second" }));
    const page = await call(a.apiKey, "GET", "/api/v1/authorization-requests?limit=1");
    expect(page.body.nextCursor).toEqual(expect.any(String));
    await call(a.apiKey, "GET", `/api/v1/authorization-requests?cursor=${page.body.nextCursor}&status=pending`);
    expect((await call(a.apiKey, "GET", "/api/v1/authorization-requests?status=maybe")).status).toBe(400);

    expect((await call(a.apiKey, "GET", `/api/v1/authorization-requests/${id}`)).status).toBe(200);
    expect((await call(a.apiKey, "GET", `/api/v1/authorization-requests/${id}?wait=1`)).body.status).toBe("pending");
    expect((await call(a.apiKey, "GET", `/api/v1/authorization-requests/${id}?wait=31`)).status).toBe(400);
    expect((await call(a.apiKey, "GET", `/api/v1/authorization-requests/${unknownRequestId}`)).status).toBe(404);

    const toCancel = (await call(a.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest())).body.requestId;
    expect((await call(a.apiKey, "POST", `/api/v1/authorization-requests/${toCancel}/cancel`)).status).toBe(200);
    expect((await call(a.apiKey, "POST", `/api/v1/authorization-requests/${unknownRequestId}/cancel`)).status).toBe(
      404,
    );
  });

  it("describes a decision by callback, the webhook it triggers and the request's full view", async () => {
    const id = (await call(a.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest())).body.requestId;
    stubs[0]!.decide(id, "approved");
    const callbackUrl = stubs[0]!.state.received.get(id)!.callbackUrl!;
    const answer = await stubs[0]!.callBack(id);
    check.response("POST", new URL(callbackUrl).pathname, answer);
    expect(answer.body.status).toBe("success");
    check.webhook(service.state.deliveries.find((d) => d.id === id)!.body);

    const view = await call(a.apiKey, "GET", `/api/v1/authorization-requests/${id}`);
    expect(view.body).toMatchObject({ decision: { signed: true }, execution: { state: "succeeded" } });
    expect(view.body.delivery).not.toBeNull();
    const cancel = await call(a.apiKey, "POST", `/api/v1/authorization-requests/${id}/cancel`);
    expect(cancel.body.error).toBe("already_decided");
    const claim = await call(a.apiKey, "POST", `/api/v1/authorization-requests/${id}/execution`, {});
    expect(claim.body.error).toBe("already_claimed");

    const refused = await fetch(`${appUrl()}/api/stepauth/callback/${randomUUID()}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(stubs[0]!.state.received.get(id)!.decision),
    });
    check.response("POST", new URL(refused.url).pathname, { status: refused.status, body: await refused.json() });
    expect(refused.status).toBe(404);
  });

  it("describes claiming an execution and reporting its result", async () => {
    const approved = await call(b.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest());
    expect(approved.status).toBe(200);
    expect(approved.body.execution.state).toBe("awaiting_claim");
    const execution = `/api/v1/authorization-requests/${approved.body.requestId}/execution`;
    expect((await call(b.apiKey, "POST", execution, { payloadSha256: "0".repeat(64) })).status).toBe(409);
    expect((await call(b.apiKey, "POST", execution, { status: "maybe" })).status).toBe(400);
    expect((await call(b.apiKey, "POST", execution, {})).body.claimed).toBe(true);
    expect((await call(b.apiKey, "POST", execution, { status: "success" })).body.status).toBe("succeeded");
    expect((await call(b.apiKey, "POST", execution, { status: "error", error: "again" })).status).toBe(409);
  });

  it("describes authorizers: list, create, read, change, delete", async () => {
    const base = "/api/v1/authorizers";
    expect((await call(a.apiKey, "GET", base)).body.data).toHaveLength(1);
    expect((await call(a.apiKey, "POST", base, authorizerBody("backup"))).status).toBe(201);
    expect((await call(a.apiKey, "POST", base, authorizerBody("backup"))).status).toBe(409);
    expect((await call(a.apiKey, "GET", `${base}/backup`)).status).toBe(200);
    expect((await call(a.apiKey, "GET", `${base}/nobody`)).status).toBe(404);
    expect((await call(a.apiKey, "PATCH", `${base}/backup`, { enabled: false })).status).toBe(200);
    expect((await call(a.apiKey, "PATCH", `${base}/backup`, {})).status).toBe(400);
    expect((await call(a.apiKey, "DELETE", `${base}/default`)).status).toBe(409);
    expect((await call(a.apiKey, "DELETE", `${base}/backup`)).status).toBe(204);
  });

  it("describes signing keys: list, create, activate, retire", async () => {
    const base = "/api/v1/signing-keys";
    const [old] = (await call(b.apiKey, "GET", base)).body.data;
    expect((await call(b.apiKey, "POST", base, { keyId: "openapi-next" })).status).toBe(201);
    expect((await call(b.apiKey, "POST", base, { keyId: "openapi-next-2" })).status).toBe(409);
    expect((await call(b.apiKey, "POST", `${base}/openapi-next/activate`)).status).toBe(200);
    expect((await call(b.apiKey, "POST", `${base}/nothing/activate`)).status).toBe(404);
    expect((await call(b.apiKey, "POST", `${base}/${old.keyId}/retire`)).status).toBe(409);
    expect((await call(b.apiKey, "POST", `${base}/${old.keyId}/retire`, { confirmKeyId: old.keyId })).status).toBe(200);
  });

  it("describes settings, the routing test and API keys", async () => {
    expect((await call(a.apiKey, "GET", "/api/v1/settings")).status).toBe(200);
    const rotated = await call(a.apiKey, "PUT", "/api/v1/settings", { rotateWebhookSecret: true, retentionDays: 30 });
    expect(rotated.body.webhookSecret).toEqual(expect.any(String));
    expect((await call(a.apiKey, "PUT", "/api/v1/settings", { defaultExpiresIn: 1 })).status).toBe(400);

    const sample = { principal: wipeRequest().principal, action: wipeRequest().action };
    for (const script of ['["default"]', '["$approve"]', "this is not CEL ((", ""])
      expect((await call(a.apiKey, "POST", "/api/v1/routing/test", { script, request: sample })).status).toBe(200);
    expect((await call(a.apiKey, "POST", "/api/v1/routing/test", { script: "[]" })).status).toBe(400);

    expect((await call(a.apiKey, "GET", "/api/v1/api-keys")).status).toBe(200);
    const created = await call(a.apiKey, "POST", "/api/v1/api-keys", { name: "ci", scopes: ["requests:read"] });
    expect(created.status).toBe(201);
    expect((await call(a.apiKey, "POST", "/api/v1/api-keys", { name: "", scopes: [] })).status).toBe(400);
    expect((await call(a.apiKey, "GET", `/api/v1/api-keys/${created.body.id}`)).status).toBe(200);
    expect((await call(a.apiKey, "GET", `/api/v1/api-keys/${randomUUID()}`)).status).toBe(404);
    expect((await call(a.apiKey, "DELETE", `/api/v1/api-keys/${created.body.id}`)).status).toBe(200);
  });

  it("describes the audit trail and its verification", async () => {
    expect((await call(a.apiKey, "GET", "/api/v1/audit-events?limit=2")).body.nextCursor).toEqual(expect.any(String));
    expect((await call(a.apiKey, "GET", "/api/v1/audit-events?limit=0")).status).toBe(400);
    expect((await call(a.apiKey, "GET", "/api/v1/audit/verify")).body.ok).toBe(true);
    expect((await call(a.apiKey, "GET", "/api/v1/audit/verify?from=yesterday")).status).toBe(400);
  });

  it("describes the refusals every API-key route shares: no key, a key without the scope", async () => {
    expect((await call("sag_not_a_key", "GET", "/api/v1/settings")).status).toBe(401);
    const reader = await createTestTenant(db(), ["requests:read"]);
    expect((await call(reader.apiKey, "GET", "/api/v1/settings")).status).toBe(403);
    expect((await call(reader.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest())).status).toBe(403);
    for (const path of ["/api/v1/authorizers", "/api/v1/signing-keys", "/api/v1/api-keys"])
      expect((await call(reader.apiKey, "GET", path)).status).toBe(403);
    expect((await call(a.apiKey, "DELETE", `/api/v1/api-keys/${randomUUID()}`)).status).toBe(404);
  });

  it("saw every documented success answer, and an error of every operation that documents one", () => {
    const missing: string[] = [];
    for (const [template, methods] of Object.entries(apiOperations))
      for (const [method, operation] of Object.entries(methods)) {
        for (const status of Object.keys(operation.responses))
          if (!check.seen.has(`${method} ${template} ${status}`)) missing.push(`${method} ${template} ${status}`);
        const documentsErrors = operation.errors.length > 0 || operation.body || typeof operation.auth === "object";
        const sawError = [...check.seen].some((s) => s.startsWith(`${method} ${template} 4`));
        if (documentsErrors && !sawError) missing.push(`${method} ${template} (an error)`);
      }
    expect(missing).toEqual([]);
  });
});
