import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AuthorizerClient, type AuthorizerClientOptions } from "../../../lib/stepauth/client";
import { verifyEnvelope } from "../../../lib/stepauth/envelope";
import type { AttemptReport } from "../../../lib/stepauth/send-with-retry";
import { parseAuthorizationRequest } from "../../../lib/stepauth/request-schema";
import { vectors } from "../../fixtures/vectors";
const request = parseAuthorizationRequest(vectors.authorizationRequest.payload);
const requestId = request.requestId;
const spKeys = [{ keyId: vectors.keys.sp.keyId, publicKey: vectors.keys.sp.publicKey }];

type Step = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let script: Step[] = [];
const received: Array<{ url: string; body: string }> = [];
let server: Server;
let endpoint = "";

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Step =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
const pending = json(202, { requestId, status: "pending" });
const drop: Step = (req) => req.socket.destroy();
const slow: Step = (_req, res) => setTimeout(() => json(202, { requestId, status: "pending" })(_req, res, ""), 400);

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ url: req.url ?? "", body });
      const step = script.shift() ?? json(500, { error: "script_exhausted", message: "no step" });
      step(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  script = [];
  received.length = 0;
});

function client(overrides: Partial<AuthorizerClientOptions> = {}) {
  const attempts: AttemptReport[] = [];
  const sleeps: number[] = [];
  const instance = new AuthorizerClient({
    endpoint,
    spId: "sp_acme_mdm",
    signers: [{ keyId: vectors.keys.sp.keyId, privateKey: vectors.keys.sp.privateKey }],
    authorizerKeys: [{ keyId: vectors.keys.authorizer.keyId, publicKey: vectors.keys.authorizer.publicKey }],
    retry: { attemptTimeoutMs: 150 },
    observer: (report) => attempts.push(report),
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    clock: () => Date.parse("2026-02-18T14:35:00Z"),
    ...overrides,
  });
  return { instance, attempts, sleeps };
}

describe("submit", () => {
  it("posts the signed request to /v1/authorization-requests and returns pending", async () => {
    script = [pending];
    const { instance, attempts } = client();
    await expect(instance.submit(request)).resolves.toEqual({ status: "pending", requestId });
    expect(received[0]?.url).toBe("/v1/authorization-requests");
    // The body is the byte-exact vector envelope.
    expect(JSON.parse(received[0]!.body)).toEqual(vectors.authorizationRequest.envelope);
    expect(attempts).toEqual([
      expect.objectContaining({ call: "submit", attempt: 1, outcome: "response", status: 202, willRetry: false }),
    ]);
  });

  it("returns a verified decision when decided at once", async () => {
    script = [json(200, { requestId, status: "decided", decision: vectors.decision.envelope })];
    const result = await client().instance.submit(request);
    expect(result).toMatchObject({ status: "decided", keyId: "auth-key-2024", decision: vectors.decision.payload });
  });

  it("rejects a forged decision with invalid_signature", async () => {
    script = [json(200, { requestId, status: "decided", decision: vectors.mustReject.tamperedPayload })];
    await expect(client().instance.submit(request)).rejects.toMatchObject({ code: "invalid_signature" });
  });

  it("retries 503 with exponential full-jitter backoff, then succeeds", async () => {
    script = [json(503, { error: "unavailable", message: "x" }), json(503, {}), pending];
    const { instance, attempts, sleeps } = client();
    await expect(instance.submit(request)).resolves.toMatchObject({ status: "pending" });
    expect(sleeps).toEqual([125, 250]);
    expect(attempts.map((a) => [a.attempt, a.status, a.willRetry])).toEqual([
      [1, 503, true],
      [2, 503, true],
      [3, 202, false],
    ]);
    expect(attempts[0]?.errorCode).toBe("unavailable");
  });

  it("waits for Retry-After on 429, in seconds or as an HTTP date", async () => {
    const date = new Date(Date.parse("2026-02-18T14:35:00Z") + 3000).toUTCString();
    script = [
      json(429, { error: "rate_limited", message: "x" }, { "retry-after": "2" }),
      json(429, {}, { "retry-after": date }),
      pending,
    ];
    const { instance, sleeps } = client();
    await expect(instance.submit(request)).resolves.toMatchObject({ status: "pending" });
    expect(sleeps).toEqual([2000, 3000]);
  });

  it("gives up with rate_limited when Retry-After exceeds the allowed wait", async () => {
    script = [json(429, { error: "rate_limited", message: "x" }, { "retry-after": "3600" })];
    await expect(client().instance.submit(request)).rejects.toMatchObject({ code: "rate_limited" });
    expect(received).toHaveLength(1);
  });

  it("with maxRetryAfterMs 0 leaves every 429 wait to the caller, naming the Retry-After it asked for", async () => {
    script = [json(503, {}), json(429, { error: "rate_limited", message: "x" }, { "retry-after": "120" })];
    const { instance, sleeps } = client({ retry: { attemptTimeoutMs: 150, maxRetryAfterMs: 0 } });
    await expect(instance.submit(request)).rejects.toMatchObject({
      code: "rate_limited",
      details: { retryAfterMs: 120_000, attempts: 2 },
    });
    expect(sleeps).toEqual([125]);
  });

  it("retries 408 and 425 like timeouts, and gives up on them as unavailable", async () => {
    script = [json(408, {}), json(425, {}), pending];
    const { instance, sleeps } = client();
    await expect(instance.submit(request)).resolves.toMatchObject({ status: "pending" });
    expect(sleeps).toEqual([125, 250]);
    script = [json(408, {}), json(408, {}), json(425, {}), json(408, {}), json(408, {})];
    await expect(client().instance.submit(request)).rejects.toMatchObject({ code: "authorizer_unavailable" });
  });

  it("never follows or retries a redirect: it is a refusal", async () => {
    script = [json(307, {}, { location: "http://127.0.0.1:9/elsewhere" }), pending];
    await expect(client().instance.submit(request)).rejects.toMatchObject({ code: "authorizer_error" });
    expect(received).toHaveLength(1);
  });

  it("never retries a call its transport refuses (an answer over the size limit)", async () => {
    script = [json(200, { requestId, status: "pending", padding: "x".repeat(300 * 1024) }), pending];
    const { instance, attempts } = client();
    await expect(instance.submit(request)).rejects.toMatchObject({ code: "response_too_large" });
    expect(received).toHaveLength(1);
    expect(attempts).toEqual([expect.objectContaining({ outcome: "refused", willRetry: false })]);
  });

  it("never retries 401 and surfaces the authorizer's code", async () => {
    script = [json(401, { error: "unknown_sp", message: "who?" }), pending];
    const { instance, attempts } = client();
    await expect(instance.submit(request)).rejects.toMatchObject({ code: "unknown_sp", httpStatus: 401 });
    expect(received).toHaveLength(1);
    expect(attempts).toHaveLength(1);
  });

  it("never retries 400", async () => {
    script = [json(400, { error: "malformed_request", message: "bad" })];
    await expect(client().instance.submit(request)).rejects.toMatchObject({ code: "malformed_request" });
    expect(received).toHaveLength(1);
  });

  it("times out a slow attempt and retries", async () => {
    script = [slow, pending];
    const { instance, attempts } = client();
    await expect(instance.submit(request)).resolves.toMatchObject({ status: "pending" });
    expect(attempts[0]).toMatchObject({ outcome: "timeout", willRetry: true });
  });

  it("retries dropped connections and reports network errors", async () => {
    script = [drop, drop, pending];
    const { instance, attempts } = client();
    await expect(instance.submit(request)).resolves.toMatchObject({ status: "pending" });
    expect(attempts.map((a) => a.outcome)).toEqual(["network_error", "network_error", "response"]);
  });

  it("treats duplicate_request on a retried submit as pending, but not on the first attempt", async () => {
    script = [drop, json(409, { error: "duplicate_request", message: "seen" })];
    await expect(client().instance.submit(request)).resolves.toEqual({ status: "pending", requestId });
    script = [json(409, { error: "duplicate_request", message: "seen" })];
    await expect(client().instance.submit(request)).rejects.toMatchObject({ code: "duplicate_request" });
  });

  it("fails with authorizer_unavailable after 5 attempts", async () => {
    script = [drop, json(500, {}), slow, json(502, {}), json(503, {})];
    const { instance, attempts, sleeps } = client();
    await expect(instance.submit(request)).rejects.toMatchObject({
      code: "authorizer_unavailable",
      details: expect.objectContaining({ attempts: 5 }),
    });
    expect(attempts).toHaveLength(5);
    expect(attempts.at(-1)?.willRetry).toBe(false);
    expect(sleeps).toEqual([125, 250, 500, 1000]);
  });

  it("validates the request before touching the network", async () => {
    await expect(
      client().instance.submit({ ...request, action: { ...request.action, summary: "" } }),
    ).rejects.toMatchObject({
      code: "malformed_request",
    });
    await expect(client({ spId: "sp_other" }).instance.submit(request)).rejects.toMatchObject({
      code: "malformed_request",
    });
    expect(received).toHaveLength(0);
  });
});

describe("poll and cancel", () => {
  it("polls with a signed {requestId, spId, timestamp}", async () => {
    script = [pending, json(200, vectors.decision.envelope)];
    const { instance } = client();
    await expect(instance.poll(requestId)).resolves.toEqual({ status: "pending", requestId });
    expect(received[0]?.url).toBe("/v1/authorization-requests/poll");
    expect(verifyEnvelope(received[0]!.body, spKeys).payload).toEqual({
      requestId,
      spId: "sp_acme_mdm",
      timestamp: "2026-02-18T14:35:00.000Z",
    });
    await expect(instance.poll(requestId)).resolves.toMatchObject({
      status: "decided",
      decision: { decision: "approved" },
    });
  });

  it("maps 404 to unknown_request without retrying", async () => {
    script = [json(404, { error: "unknown_request", message: "?" })];
    await expect(client().instance.poll(requestId)).rejects.toMatchObject({ code: "unknown_request", httpStatus: 404 });
    expect(received).toHaveLength(1);
  });

  it("rejects a decision for another request", async () => {
    script = [json(200, vectors.decision.envelope)];
    await expect(client().instance.poll("req_zzzzzzzzzzzzzzzzzzzz")).rejects.toMatchObject({
      code: "invalid_response",
    });
  });

  it("cancels, or returns the verified decision on 409", async () => {
    script = [
      json(200, { requestId, status: "cancelled" }),
      json(409, { error: "already_decided", message: "x", decision: vectors.decision.envelope }),
    ];
    const { instance } = client();
    await expect(instance.cancel(requestId)).resolves.toEqual({ status: "cancelled", requestId });
    expect(received[0]?.url).toBe("/v1/authorization-requests/cancel");
    await expect(instance.cancel(requestId)).resolves.toMatchObject({
      status: "already_decided",
      keyId: "auth-key-2024",
    });
  });

  it("refuses an invalid requestId before signing", async () => {
    await expect(client().instance.cancel("nope")).rejects.toMatchObject({ code: "malformed_request" });
    expect(received).toHaveLength(0);
  });
});
