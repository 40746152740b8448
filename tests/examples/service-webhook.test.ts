import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { request as undiciRequest } from "undici";
import * as settingsRoute from "@/app/api/v1/settings/route";
import { deliverWebhook } from "@/lib/gateway/webhook-delivery";
import { setupTestDatabase, queryRows } from "../setup/database";
import { api, createGatewayTenant, drainJobs, setupAppServer, wipeRequest } from "../setup/gateway";
import { executionLines, freePort, killHard, startExampleService } from "../setup/service-process";
import { startStubAuthorizer } from "../setup/stub-authorizer";

// The example service is a real process using lib/client, with no execution state of its own; the
// gateway runs in this process on PGlite (and on PostgreSQL with TEST_DATABASE_URL).
const db = setupTestDatabase();
const appUrl = setupAppServer({ "/api/v1/settings": settingsRoute });
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
const previousTimeout = process.env.GATEWAY_WEBHOOK_TIMEOUT_MS;
afterEach(async () => {
  await Promise.all(children.splice(0).map(killHard));
  await Promise.all(cleanups.splice(0).map((c) => c()));
});
afterAll(() => {
  if (previousTimeout === undefined) delete process.env.GATEWAY_WEBHOOK_TIMEOUT_MS;
  else process.env.GATEWAY_WEBHOOK_TIMEOUT_MS = previousTimeout;
});

const rows = <T>(query: SQL) => queryRows<T>(db(), query);

async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The outcome of each webhook call the gateway made for this request, in order. */
function deliveryEvents(requestId: string) {
  return rows<{ type: string; data: any }>(sql`select type, data from request_events
    where request_id = ${requestId} and type in ('webhook_failed', 'webhook_delivered') order by id`);
}

describe("the example service executes an approval exactly once, with no state of its own", () => {
  it("the webhook times out, the service is killed and restarted with no memory, the webhook is redelivered three times: one execution, its result recorded", async () => {
    // The action takes 1.5 s; the gateway waits 400 ms for a webhook answer, so the first delivery times out.
    process.env.GATEWAY_WEBHOOK_TIMEOUT_MS = "400";
    let keys: any[] = [];
    const stub = await startStubAuthorizer({ trustedSpKeys: () => keys });
    cleanups.push(stub.close);
    const port = await freePort();
    const tenant = await createGatewayTenant(db(), {
      appUrl: appUrl(),
      authorizers: [{ name: "default", url: stub.url }],
      webhookUrl: `http://127.0.0.1:${port}/webhook`,
    });
    keys = await tenant.spKeys();
    const executionsFile = path.join(mkdtempSync(path.join(tmpdir(), "sp-service-")), "executions.log");
    const serviceEnv = {
      PORT: String(port),
      GATEWAY_URL: appUrl(),
      STEPAUTH_API_KEY: tenant.apiKey,
      WEBHOOK_SECRET: tenant.webhookSecret,
      EXECUTIONS_FILE: executionsFile,
      EXECUTION_DELAY_MS: "1500",
    };
    const first = await startExampleService(serviceEnv);
    children.push(first.child);

    const submitted = await api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest());
    const id = submitted.body.requestId as string;
    const callback = await undiciRequest(`${appUrl()}/api/stepauth/callback/${tenant.authorizers.default!.id}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(stub.decide(id, "approved")),
    });
    await callback.body.dump();
    expect(callback.statusCode).toBe(200);

    // The first delivery timed out, but the service went on: it ran the action once and reported the result.
    expect((await deliveryEvents(id))[0]).toMatchObject({ type: "webhook_failed", data: { attempt: 1 } });
    await until(
      "the action to run",
      async () => executionLines(executionsFile),
      (lines) => lines.length > 0,
    );
    // Give its result report a moment to land (the gateway's record of it is asserted below).
    await until(
      "the result to be reported",
      async () => (await api(appUrl(), tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}`)).body.execution,
      (e) => e.state !== "executing",
      3_000,
    ).catch(() => undefined);

    // The service dies and comes back with no memory of what it did.
    await killHard(first.child);
    const second = await startExampleService(serviceEnv);
    children.push(second.child);

    // Redelivery 1: the gateway's own retry of the timed-out delivery, when it falls due.
    await db().execute(sql`update jobs set run_at = now() where request_id = ${id} and kind = 'deliver'`);
    await drainJobs(db());
    // Redeliveries 2 and 3: the same webhook again, as a sender that lost the answers would send it.
    for (let attempt = 3; attempt <= 4; attempt += 1) {
      await db().execute(sql`update webhook_deliveries set status = 'pending' where request_id = ${id}`);
      await deliverWebhook(db(), tenant.ctx, id, attempt);
    }

    // An action started by a redelivery would take 1.5 s to show: wait that long before counting.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(executionLines(executionsFile)).toEqual([id]);
    const deliveries = await deliveryEvents(id);
    expect(deliveries.map((d) => [d.type, d.data.statusCode])).toEqual([
      ["webhook_failed", null],
      ["webhook_delivered", 200],
      ["webhook_delivered", 200],
      ["webhook_delivered", 200],
    ]);
    const view = await api(appUrl(), tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}`);
    expect(view.body.execution).toMatchObject({ state: "succeeded", error: null });
    expect(view.body.events.filter((e: any) => e.type === "execution_reported")).toHaveLength(1);
    expect(view.body.execution.channel).toBe("api");
    // The restarted service ran nothing: every redelivery lost the claim and was answered `accepted`.
    expect(second.output()).not.toContain(`executing ${id}`);
    expect(second.output().match(new RegExp(`${id}: accepted`, "g"))).toHaveLength(3);
  }, 60_000);

  it("registers itself as the tenant's webhook, and an approval by callback runs once and is answered with its real result", async () => {
    let keys: any[] = [];
    const stub = await startStubAuthorizer({ trustedSpKeys: () => keys });
    cleanups.push(stub.close);
    const tenant = await createGatewayTenant(db(), {
      appUrl: appUrl(),
      authorizers: [{ name: "default", url: stub.url }],
    });
    keys = await tenant.spKeys();
    const port = await freePort();
    const executionsFile = path.join(mkdtempSync(path.join(tmpdir(), "sp-service-")), "executions.log");
    // No WEBHOOK_SECRET: the service registers its URL and keeps the secret the gateway issues.
    const service = await startExampleService({
      PORT: String(port),
      GATEWAY_URL: appUrl(),
      STEPAUTH_API_KEY: tenant.apiKey,
      EXECUTIONS_FILE: executionsFile,
    });
    children.push(service.child);
    const settings = await api(appUrl(), tenant.apiKey, "GET", "/api/v1/settings");
    expect(settings.body.webhookUrl).toBe(`http://127.0.0.1:${port}/webhook`);

    const id = (await api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest())).body
      .requestId as string;
    stub.decide(id, "approved");
    // The authorizer is told the real outcome in the callback's answer: the action ran and succeeded.
    expect((await stub.callBack(id)).body).toEqual({ requestId: id, status: "success" });
    expect(executionLines(executionsFile)).toEqual([id]);
    expect(
      (await api(appUrl(), tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}`)).body.execution,
    ).toMatchObject({ state: "succeeded", channel: "api" });
  }, 60_000);
});
