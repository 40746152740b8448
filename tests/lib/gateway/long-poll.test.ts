import { afterEach, describe, expect, it } from "vitest";
import { setupTestDatabase } from "../../setup/database";
import { api, createGatewayTenant, setupAppServer, wipeRequest } from "../../setup/gateway";
import { startStubAuthorizer } from "../../setup/stub-authorizer";

const db = setupTestDatabase();
const appUrl = setupAppServer();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  delete process.env.LONG_POLL_MAX_PER_API_KEY;
  delete process.env.LONG_POLL_MAX_PER_TENANT;
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function pendingRequest() {
  let keys: any[] = [];
  const stub = await startStubAuthorizer({ mode: "pending", trustedSpKeys: () => keys });
  cleanups.push(stub.close);
  const tenant = await createGatewayTenant(db(), {
    appUrl: appUrl(),
    authorizers: [{ name: "default", url: stub.url }],
  });
  keys = await tenant.spKeys();
  const submitted = await api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest());
  expect(submitted.status).toBe(202);
  const id = submitted.body.requestId as string;
  const wait = (seconds: number) =>
    api(appUrl(), tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}?wait=${seconds}`);
  return { tenant, stub, id, wait };
}

describe("long-polls are capped per API key and per tenant", () => {
  it("answers 429 rate_limited with Retry-After beyond 20 concurrent waits of one key, and admits again once they end", async () => {
    const w = await pendingRequest();
    const answers = await Promise.all(Array.from({ length: 25 }, () => w.wait(2)));
    const waited = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(waited).toHaveLength(20);
    expect(waited.every((a) => a.body.status === "pending")).toBe(true);
    expect(refused).toHaveLength(5);
    for (const answer of refused) {
      expect(answer.body.error).toBe("rate_limited");
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    expect((await w.wait(1)).status).toBe(200);
  });

  it("caps a tenant's waits across its keys (LONG_POLL_MAX_PER_TENANT), and a plain read is never refused", async () => {
    process.env.LONG_POLL_MAX_PER_API_KEY = "100";
    process.env.LONG_POLL_MAX_PER_TENANT = "3";
    const w = await pendingRequest();
    const all = Promise.all(Array.from({ length: 5 }, () => w.wait(2)));
    await new Promise((r) => setTimeout(r, 300));
    const read = await api(appUrl(), w.tenant.apiKey, "GET", `/api/v1/authorization-requests/${w.id}`);
    expect(read.status).toBe(200);
    const statuses = (await all).map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it("wakes a waiter soon after the decision lands", async () => {
    const w = await pendingRequest();
    const started = Date.now();
    const waiting = w.wait(20);
    await new Promise((r) => setTimeout(r, 300));
    w.stub.decide(w.id, "approved");
    expect((await w.stub.callBack(w.id)).status).toBe(200);
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe("approved");
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
