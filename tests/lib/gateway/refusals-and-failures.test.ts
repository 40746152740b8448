import { afterEach, describe, expect, it } from "vitest";
import { request as undiciRequest } from "undici";
import { createSigningKey, activateSigningKey, retireSigningKey, listSigningKeys } from "@/db/queries/signing-keys";
import { generateKeyPair, signJsonPayload } from "@/lib/stepauth";
import { setupTestDatabase } from "../../setup/database";
import { api, createGatewayTenant, drainJobs, setupAppServer, wipeRequest } from "../../setup/gateway";
import { startStubAuthorizer, vectors, type StubMode } from "../../setup/stub-authorizer";
import { startStubService } from "../../setup/stub-service";

const db = setupTestDatabase();
const appUrl = setupAppServer();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function world(
  mode: StubMode = "pending",
  extra: { policy?: "fail_closed" | "fail_open"; rateLimitFirst?: number; maxAttempts?: number } = {},
) {
  let keys: any[] = [];
  const stub = await startStubAuthorizer({
    mode,
    trustedSpKeys: () => keys,
    rateLimitFirst: extra.rateLimitFirst,
    retryAfterSeconds: 1,
  });
  let secret = "";
  const service = await startStubService(() => secret);
  cleanups.push(stub.close, service.close);
  const tenant = await createGatewayTenant(db(), {
    appUrl: appUrl(),
    authorizers: [{ name: "default", url: stub.url }],
    webhookUrl: service.url,
    unavailabilityPolicy: extra.policy,
    maxAttempts: extra.maxAttempts,
  });
  secret = tenant.webhookSecret;
  keys = await tenant.spKeys();
  return {
    stub,
    service,
    tenant,
    setKeys: (k: any[]) => (keys = k),
    submit: (body: unknown = wipeRequest(), headers?: Record<string, string>) =>
      api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", body, headers),
  };
}

async function postCallback(authorizerId: string, body: unknown) {
  const response = await undiciRequest(`${appUrl()}/api/stepauth/callback/${authorizerId}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.statusCode, body: (await response.body.json()) as any };
}

describe("decisions the gateway refuses", () => {
  it("refuses forged, tampered, unknown-key, wrong-spId, unknown-request and cross-tenant decisions, executing nothing", async () => {
    const w = await world();
    const other = await world();
    const id = (await w.submit()).body.requestId;
    const authorizerId = w.tenant.authorizers.default!.id;
    const spId = w.stub.state.received.get(id)!.spId;
    const decision = { requestId: id, spId, decision: "approved", timestamp: "2026-02-18T14:41:07Z" };
    const forger = generateKeyPair();

    const forged = await postCallback(
      authorizerId,
      signJsonPayload(decision, [{ keyId: "auth-key-2024", privateKey: forger.privateKey }]),
    );
    expect(forged).toMatchObject({ status: 401, body: { error: "invalid_signature" } });
    expect(await postCallback(authorizerId, vectors.mustReject.tamperedPayload)).toMatchObject({
      status: 401,
      body: { error: "invalid_signature" },
    });
    expect(await postCallback(authorizerId, vectors.mustReject.unknownKeyId)).toMatchObject({
      status: 401,
      body: { error: "invalid_signature" },
    });
    expect(await postCallback(authorizerId, "{not json")).toMatchObject({ status: 400 });
    expect(await postCallback(authorizerId, { payload: 42 })).toMatchObject({
      status: 400,
      body: { error: "malformed_request" },
    });

    const wrongSp = w.stub.decide(id, "approved", { spId: "sp_somebody_else" });
    expect(await postCallback(authorizerId, wrongSp)).toMatchObject({ status: 400, body: { error: "sp_mismatch" } });
    // The vectors' decision is validly signed by this authorizer's key, but for a request this SP never made.
    expect(await postCallback(authorizerId, vectors.decision.envelope)).toMatchObject({
      status: 404,
      body: { error: "unknown_request" },
    });
    // A valid decision for tenant A's request, replayed at tenant B's callback URL.
    const genuine = w.stub.decide(id, "approved");
    expect(await postCallback(other.tenant.authorizers.default!.id, genuine)).toMatchObject({
      status: 404,
      body: { error: "unknown_request" },
    });
    expect(await postCallback("not-a-uuid", genuine)).toMatchObject({
      status: 404,
      body: { error: "unknown_request" },
    });

    expect(w.service.state.executions.size + other.service.state.executions.size).toBe(0);
    const view = await api(appUrl(), w.tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}`);
    expect(view.body.status).toBe("pending");
    expect(view.body.events.filter((e: any) => e.type === "decision_refused").map((e: any) => e.data.code)).toEqual([
      "sp_mismatch",
    ]);

    // The genuine decision still works afterwards, and its replay executes nothing more.
    expect(await postCallback(authorizerId, genuine)).toMatchObject({ status: 200, body: { status: "success" } });
    expect(await postCallback(authorizerId, genuine)).toMatchObject({ status: 200, body: { status: "success" } });
    expect(w.service.state.executions.get(id)).toBe(1);
  });
});

describe("unavailability", () => {
  it("fails closed after the retries: denied with authorizer_unavailable, nothing executed", async () => {
    const w = await world("unavailable");
    const submitted = await w.submit();
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: "denied", statusReason: "authorizer_unavailable", failOpen: false });
    expect(w.stub.state.calls).toHaveLength(3);
    expect(w.service.state.executions.size).toBe(0);
    expect(w.service.state.deliveries[0]!.body.data).toMatchObject({
      status: "denied",
      execute: false,
      reason: "authorizer_unavailable",
    });
  });

  it("fails open only by opt-in, and records the attempts and the request it would have sent", async () => {
    const w = await world("unavailable", { policy: "fail_open" });
    const submitted = await w.submit();
    expect(submitted.body).toMatchObject({
      status: "approved",
      statusReason: "fail_open",
      failOpen: true,
      execution: { state: "succeeded" },
    });
    expect(w.service.state.deliveries[0]!.body.data).toMatchObject({ execute: true, failOpen: true });
    const view = await api(
      appUrl(),
      w.tenant.apiKey,
      "GET",
      `/api/v1/authorization-requests/${submitted.body.requestId}`,
    );
    const failOpen = view.body.events.find((e: any) => e.type === "fail_open_executed");
    expect(failOpen.data.requests[0].payload.requestId).toBe(submitted.body.requestId);
    expect(view.body.events.filter((e: any) => e.type === "authorizer_attempt")).toHaveLength(3);
  });

  it("never fails open on a refusal: a 401 from the authorizer denies", async () => {
    const w = await world("unauthorized", { policy: "fail_open" });
    const submitted = await w.submit();
    expect(submitted.body).toMatchObject({ status: "denied", statusReason: "authorizer_rejected", failOpen: false });
    expect(w.stub.state.calls).toHaveLength(1);
    expect(w.service.state.executions.size).toBe(0);
  });

  it("honours Retry-After on 429 and then submits", async () => {
    const w = await world("pending", { rateLimitFirst: 1 });
    const started = Date.now();
    const submitted = await w.submit();
    expect(submitted.status).toBe(202);
    // The wait is a durable reschedule (PROTOCOL.md), not a sleep in the request: the job comes back at Retry-After.
    expect(w.stub.state.calls.map((c) => c.status)).toEqual([429]);
    await new Promise((r) => setTimeout(r, 1_050));
    await drainJobs(db());
    expect(w.stub.state.calls.map((c) => c.status)).toEqual([429, 202]);
    expect(w.stub.state.calls[1]!.at - w.stub.state.calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });
});

describe("key rotation", () => {
  it("dual-signs while a next key exists, so an authorizer knowing either key accepts", async () => {
    const w = await world();
    const [oldKey] = await listSigningKeys(db(), w.tenant.ctx);
    const next = await createSigningKey(db(), w.tenant.ctx);
    // The authorizer has only the new key registered: requests still verify (dual signature).
    w.setKeys([{ keyId: next.keyId, publicKey: next.publicKey }]);
    const during = await w.submit();
    expect(during.status).toBe(202);
    expect(w.stub.state.received.get(during.body.requestId)!.signatureKeyIds).toEqual([oldKey!.keyId, next.keyId]);
    await activateSigningKey(db(), w.tenant.ctx, next.keyId);
    // No authorizer was shown the new key alone, so the retirement needs the typed confirmation.
    await expect(retireSigningKey(db(), w.tenant.ctx, oldKey!.keyId)).rejects.toMatchObject({
      code: "signing_key_in_use",
    });
    await retireSigningKey(db(), w.tenant.ctx, oldKey!.keyId, { confirmedKeyId: oldKey!.keyId });
    const after = await w.submit();
    expect(w.stub.state.received.get(after.body.requestId)!.signatureKeyIds).toEqual([next.keyId]);
    // An authorizer that only knows the retired key now refuses: the SP is told why (denied, refused).
    w.setKeys([{ keyId: oldKey!.keyId, publicKey: oldKey!.publicKey }]);
    expect((await w.submit()).body).toMatchObject({ status: "denied", statusReason: "authorizer_rejected" });
  });
});

describe("idempotency and input", () => {
  it("replays the same answer for the same Idempotency-Key and body, and refuses another body", async () => {
    const w = await world();
    const first = await w.submit(wipeRequest(), { "idempotency-key": "wipe-42" });
    const replay = await w.submit(wipeRequest(), { "idempotency-key": "wipe-42" });
    expect(replay.status).toBe(first.status);
    expect(replay.body.requestId).toBe(first.body.requestId);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(w.stub.state.received.size).toBe(1);
    const reused = await w.submit(wipeRequest({ externalId: "other" }), { "idempotency-key": "wipe-42" });
    expect(reused).toMatchObject({ status: 422, body: { error: "idempotency_key_reused" } });
    const concurrent = await Promise.all(
      Array.from({ length: 8 }, () => w.submit(wipeRequest(), { "idempotency-key": "burst" })),
    );
    expect(new Set(concurrent.map((r) => r.body.requestId)).size).toBe(1);
    expect(w.stub.state.received.size).toBe(2);
  });

  it("answers bad input with a 4xx code and writes nothing", async () => {
    const w = await world();
    const deep = (n: number): any =>
      n === 0 ? { type: "human", attributes: [] } : { type: "agent", attributes: [], operator: deep(n - 1) };
    // Entries nested so deep that recursive validation would exhaust the stack (a 500 before the limit existed).
    let nested: any = "x";
    for (let i = 0; i < 1900; i += 1) nested = [{ key: "a", label: "A", value: nested }];
    let fairlyDeep: any = "x";
    for (let i = 0; i < 20; i += 1) fairlyDeep = [{ key: "a", label: "A", value: fairlyDeep }];
    const cases: [unknown, number, string][] = [
      [{ ...wipeRequest(), principal: deep(6) }, 400, "operator_depth_exceeded"],
      [{ ...wipeRequest(), action: { type: "x", summary: "" } }, 400, "validation_failed"],
      [
        { ...wipeRequest(), principal: { type: "human", attributes: [], operator: { type: "human", attributes: [] } } },
        400,
        "validation_failed",
      ],
      [{ ...wipeRequest(), tenantId: "someone-else" }, 400, "validation_failed"],
      [{ ...wipeRequest(), expiresIn: 5 }, 400, "validation_failed"],
      [{ ...wipeRequest(), action: { type: "x", summary: "deep", details: nested } }, 400, "validation_failed"],
      [{ ...wipeRequest(), action: { type: "x", summary: "deep", details: fairlyDeep } }, 400, "validation_failed"],
    ];
    for (const [body, status, code] of cases) {
      const response = await w.submit(body);
      expect([response.status, response.body.error]).toEqual([status, code]);
    }
    expect(w.stub.state.received.size).toBe(0);
    const list = await api(appUrl(), w.tenant.apiKey, "GET", "/api/v1/authorization-requests");
    expect(list.body.data).toHaveLength(0);
    expect(
      (await api(appUrl(), w.tenant.apiKey, "GET", "/api/v1/authorization-requests/req_doesnotexist123456")).status,
    ).toBe(404);
  });
});

describe("polling fallback and the execution claim API", () => {
  it("polls a poll-only authorizer until it decides, then a service without webhook claims once", async () => {
    let keys: any[] = [];
    const stub = await startStubAuthorizer({ trustedSpKeys: () => keys });
    cleanups.push(stub.close);
    const tenant = await createGatewayTenant(db(), {
      appUrl: appUrl(),
      authorizers: [{ name: "default", url: stub.url, pollOnly: true }],
    });
    keys = await tenant.spKeys();
    const submitted = await api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest());
    const id = submitted.body.requestId;
    expect(stub.state.received.get(id)!.callbackUrl).toBeUndefined();
    stub.decide(id, "approved");
    const { sql } = await import("drizzle-orm");
    await db().execute(sql`update jobs set run_at = now() where request_id = ${id} and kind = 'poll'`);
    await drainJobs(db());
    const waited = await api(appUrl(), tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}?wait=2`);
    expect(waited.body).toMatchObject({
      status: "approved",
      decision: { source: "poll" },
      execution: { state: "awaiting_claim" },
    });
    const claims = await Promise.all(
      Array.from({ length: 10 }, () =>
        api(appUrl(), tenant.apiKey, "POST", `/api/v1/authorization-requests/${id}/execution`),
      ),
    );
    expect(claims.filter((c) => c.status === 200)).toHaveLength(1);
    expect(claims.filter((c) => c.status === 409 && c.body.error === "already_claimed")).toHaveLength(9);
    const report = await api(appUrl(), tenant.apiKey, "POST", `/api/v1/authorization-requests/${id}/execution`, {
      status: "success",
    });
    expect(report.body.status).toBe("succeeded");
    expect(
      (
        await api(appUrl(), tenant.apiKey, "POST", `/api/v1/authorization-requests/${id}/execution`, {
          status: "error",
          error: "x",
        })
      ).status,
    ).toBe(409);
  });
});
