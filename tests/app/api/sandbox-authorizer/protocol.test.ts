import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { sandboxRequests } from "@/db/schema";
import { ensureSandboxSigningKey, DEFAULT_POLICY_RULES } from "@/lib/sandbox";
import { decisionSchema, signEnvelope, signJsonPayload, verifyEnvelope } from "@/lib/stepauth";
import { setupTestDatabase } from "../../../setup/database";
import { callRoute } from "../../../setup/http";
import * as submitRoute from "@/app/api/sandbox-authorizer/v1/authorization-requests/route";
import * as resultRoute from "@/app/api/sandbox-authorizer/v1/authorization-requests/result/route";
import {
  cancel,
  poll,
  reencode,
  registerSp,
  signedRequest,
  signReference,
  spKey,
  submit,
  vectorAuthorizerKey,
  vectors,
} from "../../../lib/sandbox/fixtures";

// The vectors' request was made on 2026-02-18 and expires at 15:00 that day: run at 14:31.
const vectorTime = new Date("2026-02-18T14:31:00Z");
const getDb = setupTestDatabase();
const spId = vectors.authorizationRequest.payload.spId as string;

beforeAll(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: vectorTime });
});
afterAll(() => vi.useRealTimers());

describe("the sandbox authorizer against the shared vectors", () => {
  beforeEach(async () => {
    vi.setSystemTime(vectorTime);
    await registerSp(getDb(), { spId, rules: DEFAULT_POLICY_RULES });
  });

  it("accepts the vectors' SP envelope with the vectors' SP key registered, stores the exact payload, and refuses it twice", async () => {
    const first = await submit(vectors.authorizationRequest.envelope);
    expect(first).toMatchObject({ status: 202, body: { requestId: "req_a1b2c3d4e5f6a7b8c9d0", status: "pending" } });
    const again = await submit(vectors.authorizationRequest.envelope);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe("duplicate_request");
    const polled = await poll(vectors.cancel.envelope);
    expect(polled).toMatchObject({ status: 202, body: { status: "pending" } });
    const cancelled = await cancel(vectors.cancel.envelope);
    expect(cancelled).toMatchObject({
      status: 200,
      body: { requestId: "req_a1b2c3d4e5f6a7b8c9d0", status: "cancelled" },
    });
    expect((await cancel(vectors.cancel.envelope)).body.status).toBe("cancelled");
  });

  it("refuses the mustReject family with invalid_signature, even when the authorizer's key is trusted too", async () => {
    await registerSp(getDb(), { spId, keys: [spKey, vectorAuthorizerKey] });
    for (const [name, envelope] of Object.entries(vectors.mustReject)) {
      const answer = await submit(envelope);
      expect({ name, status: answer.status, error: answer.body.error }).toEqual({
        name,
        status: 401,
        error: "invalid_signature",
      });
    }
  });

  it("refuses validly signed payloads two parsers would read differently, and the mustRejectAfterVerify vectors, with malformed_request", async () => {
    // First-key-wins parsers read "Nothing happens."; JSON.parse reads the real summary.
    const text = signedRequest().payload;
    const json = JSON.stringify(text).replace('"action":{', '"action":{"summary":"Nothing happens.",');
    const duplicate = signEnvelope(new TextEncoder().encode(json), [spKey]);
    expect(await submit(duplicate)).toMatchObject({ status: 400, body: { error: "malformed_request" } });
    const duplicateSpId = signEnvelope(
      new TextEncoder().encode(JSON.stringify(text).replace('"spId":', '"spId":"sp_nobody","spId":')),
      [spKey],
    );
    expect(await submit(duplicateSpId)).toMatchObject({ status: 400, body: { error: "malformed_request" } });
    const loneSurrogate = signEnvelope(
      new TextEncoder().encode(JSON.stringify(text).replace('"category":"infra.destroy"', '"category":"\\ud800"')),
      [spKey],
    );
    expect(await submit(loneSurrogate)).toMatchObject({ status: 400, body: { error: "malformed_request" } });
    await registerSp(getDb(), { spId, keys: [spKey, vectorAuthorizerKey] });
    for (const [name, envelope] of Object.entries(vectors.mustRejectAfterVerify).filter(([n]) => n !== "about")) {
      const answer = await submit(envelope);
      expect({ name, status: answer.status, error: answer.body.error }).toEqual({
        name,
        status: 400,
        error: "malformed_request",
      });
    }
  });

  it("refuses a request payload tampered after signing, and a signature by another key", async () => {
    const tampered = {
      ...vectors.authorizationRequest.envelope,
      payload: reencode({
        ...vectors.authorizationRequest.payload,
        action: { ...vectors.authorizationRequest.payload.action, summary: "Nothing happens." },
      }),
    };
    expect((await submit(tampered)).body.error).toBe("invalid_signature");
    const forged = signedRequest({}, { keyId: spKey.keyId, privateKey: vectorAuthorizerKey.privateKey });
    expect(await submit(forged.envelope)).toMatchObject({ status: 401, body: { error: "invalid_signature" } });
  });

  it("answers every error code of the table", async () => {
    expect((await submit(signedRequest({ spId: "sp_nobody_registered" }).envelope)).body.error).toBe("unknown_sp");
    expect(
      await callRoute(submitRoute.POST, {
        method: "POST",
        body: "{not json",
        headers: { "content-type": "application/json" },
      }),
    ).toMatchObject({ status: 400, body: { error: "malformed_request" } });
    expect((await submit({ payload: "eyJ9", signatures: [] })).body.error).toBe("malformed_request");
    const noSummary = signedRequest({ action: { type: "device.wipe" } });
    expect(await submit(noSummary.envelope)).toMatchObject({ status: 400, body: { error: "malformed_request" } });
    let chain: Record<string, unknown> = { type: "human", attributes: [] };
    for (let i = 0; i < 5; i++) chain = { type: "agent", attributes: [], operator: chain };
    expect(await submit(signedRequest({ principal: chain }).envelope)).toMatchObject({
      status: 400,
      body: { error: "operator_depth_exceeded" },
    });
    expect(await submit(signedRequest({ callbackUrl: "https://evil.example/stepauth/cb" }).envelope)).toMatchObject({
      status: 400,
      body: { error: "invalid_callback_url" },
    });
    expect(await submit(signedRequest({ callbackUrl: "http://mdm.acme.com/stepauth/cb" }).envelope)).toMatchObject({
      status: 400,
      body: { error: "invalid_callback_url" },
    });
    expect((await poll(signReference("req_unknownunknown0000", spId, "2026-02-18T14:31:00Z"))).body.error).toBe(
      "unknown_request",
    );
  });

  it("refuses an expired request and expires a pending one by poll with a signed expired decision", async () => {
    expect(
      await submit(signedRequest({ timestamp: "2026-02-18T14:00:00Z", expiresAt: "2026-02-18T14:10:00Z" }).envelope),
    ).toMatchObject({ status: 400, body: { error: "malformed_request" } });
    const { payload, envelope } = signedRequest();
    expect((await submit(envelope)).status).toBe(202);
    vi.setSystemTime(new Date("2026-02-18T15:00:01Z"));
    const polled = await poll(signReference(payload.requestId, spId, "2026-02-18T15:00:01Z"));
    expect(polled.status).toBe(200);
    const key = await ensureSandboxSigningKey(getDb());
    const decision = decisionSchema.parse(
      verifyEnvelope(polled.body, [{ keyId: key.keyId, publicKey: key.publicKey }]).payload,
    );
    expect(decision).toMatchObject({ requestId: payload.requestId, spId, decision: "expired" });
  });

  it("rate-limits per spId with Retry-After", async () => {
    await registerSp(getDb(), { spId, rate: [1, 2] });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const answer = await submit(signedRequest().envelope);
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter = answer.headers.get("retry-after");
    }
    expect(statuses).toEqual([202, 202, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it("decides by policy at once with a decision signed by the sandbox's key, and a cancel then answers 409 with it", async () => {
    const { payload, envelope } = signedRequest({
      action: {
        type: "report.read",
        category: "data.read",
        summary: "If approved, the Q3 revenue report will be shown.",
      },
    });
    const answer = await submit(envelope);
    expect(answer).toMatchObject({ status: 200, body: { requestId: payload.requestId, status: "decided" } });
    const key = await ensureSandboxSigningKey(getDb());
    const decision = decisionSchema.parse(
      verifyEnvelope(answer.body.decision, [{ keyId: key.keyId, publicKey: key.publicKey }]).payload,
    );
    expect(decision).toMatchObject({ decision: "approved", spId, reviewers: [{ type: "service" }] });
    const cancelled = await cancel(signReference(payload.requestId, spId, "2026-02-18T14:32:00Z"));
    expect(cancelled).toMatchObject({
      status: 409,
      body: { error: "already_decided", decision: answer.body.decision },
    });
  });

  it("never shows one SP another SP's request", async () => {
    const { payload, envelope } = signedRequest();
    expect((await submit(envelope)).status).toBe(202);
    const other = {
      keyId: "other-sp-key",
      ...(({ publicKey, privateKey }) => ({ publicKey, privateKey }))(
        (await import("@/lib/stepauth")).generateKeyPair(),
      ),
    };
    await registerSp(getDb(), { spId: "sp_other_tenant_sp", keys: [other] });
    const probe = await poll(signReference(payload.requestId, "sp_other_tenant_sp", "2026-02-18T14:32:00Z", other));
    expect(probe).toMatchObject({ status: 404, body: { error: "unknown_request" } });
  });

  it("records a verified result report for an approval once, and refuses the rest with their codes", async () => {
    const report = (body: unknown) => callRoute(resultRoute.POST, { method: "POST", json: body });
    const { payload, envelope } = signedRequest({
      action: {
        type: "report.read",
        category: "data.read",
        summary: "If approved, the Q3 revenue report will be shown.",
      },
    });
    expect((await submit(envelope)).body.status).toBe("decided");
    const result = (status: string, extra: Record<string, unknown> = {}, key = spKey) =>
      signJsonPayload({ requestId: payload.requestId, spId, status, timestamp: "2026-02-18T14:32:00Z", ...extra }, [
        key,
      ]);
    expect(await report(result("success", { executedAt: "2026-02-18T14:31:30Z" }))).toMatchObject({
      status: 200,
      body: { requestId: payload.requestId, status: "recorded" },
    });
    // A repeat is answered the same, and the first result stays.
    expect((await report(result("error", { error: "late" }))).body.status).toBe("recorded");
    const [row] = await getDb().select().from(sandboxRequests).where(eq(sandboxRequests.requestId, payload.requestId));
    expect(row).toMatchObject({ executionStatus: "success", executionError: null });

    expect(await report(result("success", {}, { ...spKey, privateKey: vectorAuthorizerKey.privateKey }))).toMatchObject(
      { status: 401, body: { error: "invalid_signature" } },
    );
    expect(
      await report(
        signJsonPayload(
          { requestId: "req_nosuchrequest0000000", spId, status: "success", timestamp: "2026-02-18T14:32:00Z" },
          [spKey],
        ),
      ),
    ).toMatchObject({ status: 404, body: { error: "unknown_request" } });
    expect((await report(result("done"))).body.error).toBe("malformed_request");
    const duplicated = JSON.stringify({
      requestId: payload.requestId,
      spId,
      status: "success",
      timestamp: "2026-02-18T14:32:00Z",
    }).replace('"status":', '"status":"error","status":');
    expect(await report(signEnvelope(new TextEncoder().encode(duplicated), [spKey]))).toMatchObject({
      status: 400,
      body: { error: "malformed_request" },
    });
    const pending = signedRequest();
    expect((await submit(pending.envelope)).status).toBe(202);
    const early = signJsonPayload(
      { requestId: pending.payload.requestId, spId, status: "success", timestamp: "2026-02-18T14:32:00Z" },
      [spKey],
    );
    expect(await report(early)).toMatchObject({ status: 409, body: { error: "not_approved" } });
  });
});
