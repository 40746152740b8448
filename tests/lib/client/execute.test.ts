import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createClient, isStepAuthClientError, type StepAuthClientError } from "@/lib/client";
import { setupTestDatabase } from "../../setup/database";
import { api, createGatewayTenant, drainJobs, setupAppServer, wipeRequest } from "../../setup/gateway";
import { startStubAuthorizer } from "../../setup/stub-authorizer";

// execute() against the real gateway over HTTP: the webhooks are the ones the gateway really sent,
// caught by a service that answers `accepted` so the client under test can act on them afterwards.
const db = setupTestDatabase();
const appUrl = setupAppServer();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

type Caught = { rawBody: string; headers: IncomingHttpHeaders };

/** A service endpoint that records each webhook as received and answers `accepted` (it will act later). */
async function startWebhookCatcher() {
  const caught: Caught[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    caught.push({ rawBody: Buffer.concat(chunks).toString("utf8"), headers: req.headers });
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ requestId: req.headers["webhook-id"], status: "accepted" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`, caught };
}

/**
 * A proxy in front of the gateway that fails the calls `fail` picks: `503` answers, dropped
 * connections, or calls that reach the gateway but whose answer is lost.
 */
async function startFlakyProxy(
  target: () => string,
  fail: (call: {
    method: string;
    path: string;
    body: string;
    index: number;
  }) => "503" | "drop" | "lose_answer" | undefined,
) {
  let index = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const failure = fail({ method: req.method ?? "GET", path: req.url ?? "/", body, index: (index += 1) });
    if (failure === "drop") return req.socket.destroy();
    if (failure === "503")
      return res
        .writeHead(503, { "content-type": "application/json" })
        .end('{"error":"service_unavailable","message":"flaky"}');
    const headers = Object.fromEntries(
      Object.entries(req.headers)
        .filter(([k]) => !["host", "content-length", "connection"].includes(k))
        .map(([k, v]) => [k, String(v)]),
    );
    const answer = await fetch(target() + req.url, { method: req.method, headers, body: body || undefined });
    if (failure === "lose_answer") return req.socket.destroy();
    res
      .writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" })
      .end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A tenant whose approvals reach the catcher; `approve()` submits a wipe, approves it by callback and returns its webhook. */
async function setup(options: { gatewayUrl?: string } = {}) {
  let keys: any[] = [];
  const stub = await startStubAuthorizer({ trustedSpKeys: () => keys, acceptResults: true });
  const catcher = await startWebhookCatcher();
  cleanups.push(stub.close);
  const tenant = await createGatewayTenant(db(), {
    appUrl: options.gatewayUrl ?? appUrl(),
    authorizers: [{ name: "default", url: stub.url }],
    webhookUrl: catcher.url,
  });
  keys = await tenant.spKeys();
  const retry = { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4, attemptTimeoutMs: 5_000 };
  const client = createClient({
    baseUrl: options.gatewayUrl ?? appUrl(),
    apiKey: tenant.apiKey,
    webhookSecret: tenant.webhookSecret,
    retry,
  });
  const approve = async (decision: "approved" | "denied" = "approved") => {
    const requestId = (await client.submit(wipeRequest() as never)).requestId;
    stub.decide(requestId, decision);
    await stub.callBack(requestId);
    // A denial's webhook may be queued rather than delivered within the callback: run due jobs until it arrives.
    const deadline = Date.now() + 10_000;
    let webhook: Caught | undefined;
    while (!(webhook = catcher.caught.find((c) => c.headers["webhook-id"] === requestId))) {
      if (Date.now() > deadline)
        throw new Error(
          `no webhook was delivered: ${JSON.stringify((await api(appUrl(), tenant.apiKey, "GET", `/api/v1/authorization-requests/${requestId}`)).body.events)}`,
        );
      await drainJobs(db());
      await new Promise((r) => setTimeout(r, 50));
    }
    return { requestId, webhook };
  };
  const view = async (requestId: string) =>
    (await api(appUrl(), tenant.apiKey, "GET", `/api/v1/authorization-requests/${requestId}`)).body;
  return { tenant, client, approve, view };
}

async function thrown(promise: Promise<unknown>): Promise<StepAuthClientError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isStepAuthClientError(error)) throw new Error(`expected a StepAuthClientError, got ${String(error)}`);
  return error;
}

describe("execute(): claim, run once, report", () => {
  it("runs the action once and reports success; the gateway records it", async () => {
    const { client, approve, view } = await setup();
    const { requestId, webhook } = await approve();
    let runs = 0;
    const answer = await client.execute(webhook, async (event) => {
      runs += 1;
      expect(event.data.action.type).toBe("device.wipe");
    });
    expect(answer).toEqual({ requestId, status: "success" });
    expect(runs).toBe(1);
    expect((await view(requestId)).execution).toMatchObject({ state: "succeeded", channel: "api", error: null });
  });

  it("a thrown error is reported as the execution's error, and answered as one", async () => {
    const { client, approve, view } = await setup();
    const { requestId, webhook } = await approve();
    const answer = await client.execute(webhook, () => {
      throw new Error("device no longer enrolled");
    });
    expect(answer).toEqual({ requestId, status: "error", error: "device no longer enrolled" });
    expect((await view(requestId)).execution).toMatchObject({ state: "failed", error: "device no longer enrolled" });
  });

  it("already claimed (a redelivery, another instance): answers accepted and does not run the action", async () => {
    const { client, approve, view } = await setup();
    const { requestId, webhook } = await approve();
    let runs = 0;
    const action = () => void (runs += 1);
    const answers = await Promise.all(Array.from({ length: 5 }, () => client.execute(webhook, action)));
    expect(runs).toBe(1);
    expect(answers.filter((a) => a.status === "success")).toHaveLength(1);
    expect(answers.filter((a) => a.status === "accepted")).toHaveLength(4);
    expect(await client.execute(webhook, action)).toEqual({ requestId, status: "accepted" });
    expect(runs).toBe(1);
    expect((await view(requestId)).events.filter((e: any) => e.type === "execution_claimed")).toHaveLength(1);
  });

  it("after the execution window: nothing runs, the answer says why", async () => {
    const { client, approve, view } = await setup();
    const { requestId, webhook } = await approve();
    await db().execute(
      sql`update authorization_requests set execution_closes_at = now() - interval '1 second' where request_id = ${requestId}`,
    );
    let runs = 0;
    expect(await client.execute(webhook, () => void (runs += 1))).toEqual({
      requestId,
      status: "error",
      error: "not executed: execution_window_closed",
    });
    expect(runs).toBe(0);
    expect((await view(requestId)).execution.state).toBe("failed");
  });

  it("a webhook whose payload hash is not the approved payload's: refused, nothing runs", async () => {
    const { client, approve } = await setup();
    const { requestId, webhook } = await approve();
    const event = client.verifyWebhook(webhook.rawBody, webhook.headers);
    const forged = {
      ...event,
      data: { ...event.data, execution: { ...event.data.execution!, payloadSha256: "0".repeat(64) } },
    };
    let runs = 0;
    expect(await client.execute(forged, () => void (runs += 1))).toEqual({
      requestId,
      status: "error",
      error: "not executed: payload_mismatch",
    });
    expect(runs).toBe(0);
    // The real payload still claims: the refusal took nothing.
    expect(await client.execute(webhook, () => void (runs += 1))).toEqual({ requestId, status: "success" });
    expect(runs).toBe(1);
  });

  it("a denial runs nothing and claims nothing", async () => {
    const { client, approve, view } = await setup();
    const { requestId, webhook } = await approve("denied");
    let runs = 0;
    expect(await client.execute(webhook, () => void (runs += 1))).toEqual({ requestId, status: "success" });
    expect(runs).toBe(0);
    expect((await view(requestId)).execution.state).toBe("not_applicable");
  });

  it("a forged webhook is refused before anything is claimed", async () => {
    const { client, approve, view } = await setup();
    const { requestId, webhook } = await approve();
    const tampered = { rawBody: webhook.rawBody.replace("device.wipe", "device.lock"), headers: webhook.headers };
    expect((await thrown(client.execute(tampered, () => undefined))).code).toBe("invalid_webhook");
    expect((await view(requestId)).execution.state).toBe("awaiting_claim");
  });
});

describe("execute(): network errors and 5xx are retried; a report is never lost silently", () => {
  it("claim and report go through 503s and dropped connections", async () => {
    let failures = 0;
    const proxy = await startFlakyProxy(appUrl, ({ path }) =>
      path.endsWith("/execution") && failures < 3 ? ((failures += 1) % 2 ? "503" : "drop") : undefined,
    );
    const { client, approve, view } = await setup({ gatewayUrl: proxy });
    failures = 0;
    const { requestId, webhook } = await approve();
    failures = 0;
    let runs = 0;
    expect(await client.execute(webhook, () => void (runs += 1))).toEqual({ requestId, status: "success" });
    expect(runs).toBe(1);
    expect(failures).toBe(3);
    expect((await view(requestId)).execution.state).toBe("succeeded");
  });

  it("a report that landed but whose answer was lost: the retry's 409 shows the same result, which counts as delivered", async () => {
    let lost = 0;
    const proxy = await startFlakyProxy(appUrl, ({ path, body }) =>
      path.endsWith("/execution") && body.includes('"status"') && lost++ === 0 ? "lose_answer" : undefined,
    );
    const { client, approve, view } = await setup({ gatewayUrl: proxy });
    const { requestId, webhook } = await approve();
    expect(await client.execute(webhook, () => undefined)).toEqual({ requestId, status: "success" });
    expect(lost).toBe(2);
    expect((await view(requestId)).events.filter((e: any) => e.type === "execution_reported")).toHaveLength(1);
  });

  it("a report that cannot land after every retry throws report_failed carrying the result", async () => {
    let reportsRefused = 0;
    const proxy = await startFlakyProxy(appUrl, ({ path, body }) =>
      path.endsWith("/execution") && body.includes('"status"') ? ((reportsRefused += 1), "503") : undefined,
    );
    const { client, approve, view } = await setup({ gatewayUrl: proxy });
    const { requestId, webhook } = await approve();
    let runs = 0;
    const error = await thrown(client.execute(webhook, () => void (runs += 1)));
    expect(error.code).toBe("report_failed");
    expect(error.result).toEqual({ status: "success" });
    expect(runs).toBe(1);
    expect(reportsRefused).toBe(4);
    // The claim stands and the result is not invented: the gateway still shows the execution in progress.
    expect((await view(requestId)).execution.state).toBe("executing");
  });
});

describe("submit(), wait() and executeApproved()", () => {
  it("submits, long-polls while pending, and returns the decided request", async () => {
    let keys: any[] = [];
    const stub = await startStubAuthorizer({ trustedSpKeys: () => keys });
    cleanups.push(stub.close);
    const tenant = await createGatewayTenant(db(), {
      appUrl: appUrl(),
      authorizers: [{ name: "default", url: stub.url }],
    });
    keys = await tenant.spKeys();
    const client = createClient({ baseUrl: appUrl(), apiKey: tenant.apiKey });
    const submitted = await client.submit(wipeRequest({ externalId: "ticket-1" }) as never, {
      idempotencyKey: "ticket-1",
    });
    expect(submitted).toMatchObject({ status: "pending", externalId: "ticket-1" });
    expect(
      (await client.submit(wipeRequest({ externalId: "ticket-1" }) as never, { idempotencyKey: "ticket-1" })).requestId,
    ).toBe(submitted.requestId);

    const started = Date.now();
    expect((await thrown(client.wait(submitted.requestId, { timeoutMs: 1_200 }))).code).toBe("wait_timeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    setTimeout(() => {
      stub.decide(submitted.requestId, "approved");
      void stub.callBack(submitted.requestId);
    }, 300);
    const decided = await client.wait(submitted.requestId, { timeoutMs: 10_000 });
    expect(decided).toMatchObject({
      requestId: submitted.requestId,
      status: "approved",
      execution: { state: "awaiting_claim" },
    });

    // No webhook: the service executes the approval it waited for, once, and the result is recorded.
    let runs = 0;
    const executed = await Promise.all([1, 2, 3].map(() => client.executeApproved(decided, () => void (runs += 1))));
    expect(runs).toBe(1);
    expect(executed.map((a) => a.status).sort()).toEqual(["accepted", "accepted", "success"]);
    expect((await client.get(submitted.requestId)).execution).toMatchObject({ state: "succeeded" });
  });

  it("refusals carry the API's error code and status", async () => {
    const tenant = await createGatewayTenant(db(), {
      appUrl: appUrl(),
      authorizers: [{ name: "default", url: "http://127.0.0.1:9" }],
    });
    const bad = createClient({ baseUrl: appUrl(), apiKey: "sag_not_a_real_key" });
    expect(await thrown(bad.submit(wipeRequest() as never))).toMatchObject({ code: "invalid_api_key", status: 401 });
    const client = createClient({ baseUrl: appUrl(), apiKey: tenant.apiKey });
    expect(await thrown(client.submit({ ...wipeRequest(), expiresIn: 5 } as never))).toMatchObject({
      code: "validation_failed",
      status: 400,
    });
    expect(await thrown(client.get("req_doesnotexist000000000"))).toMatchObject({
      code: "unknown_request",
      status: 404,
    });
  });

  it("claims at the configured gateway whatever origin a webhook's claimUrl names: the API key goes nowhere else", async () => {
    const elsewhereCalls: string[] = [];
    const elsewhere = createServer(
      (req, res) => (elsewhereCalls.push(String(req.headers.authorization)), res.writeHead(500).end()),
    );
    await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((r) => elsewhere.close(() => r())));
    const { client, approve, view } = await setup();
    const { requestId, webhook } = await approve();
    const event = client.verifyWebhook(webhook.rawBody, webhook.headers);
    const claimUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/api/v1/authorization-requests/${requestId}/execution`;
    let runs = 0;
    expect(
      await client.execute(
        { ...event, data: { ...event.data, execution: { ...event.data.execution!, claimUrl } } },
        () => void (runs += 1),
      ),
    ).toEqual({ requestId, status: "success" });
    expect(runs).toBe(1);
    expect(elsewhereCalls).toEqual([]);
    expect((await view(requestId)).execution.state).toBe("succeeded");
  });
});
