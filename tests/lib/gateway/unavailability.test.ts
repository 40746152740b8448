import { sql, type SQL } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { setupTestDatabase, queryRows } from "../../setup/database";
import { api, createGatewayTenant, drainJobs, setupAppServer, wipeRequest } from "../../setup/gateway";
import { startStubAuthorizer, type StubIntercept } from "../../setup/stub-authorizer";
import { startStubService } from "../../setup/stub-service";
import { expireOverdueRequests } from "@/lib/gateway/expiry";

// PROTOCOL.md "Retries and unavailability": a 429 is a reachable authorizer (a durable reschedule,
// never unavailability); 408/425 are retried like timeouts; refusals never fail open.
const db = setupTestDatabase();
const appUrl = setupAppServer();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

type WorldOptions = {
  policy: "fail_closed" | "fail_open";
  rateLimitFirst?: number;
  retryAfter?: () => string;
  intercept?: StubIntercept;
  url?: string;
};

async function world(options: WorldOptions) {
  let keys: any[] = [];
  const stub = await startStubAuthorizer({
    trustedSpKeys: () => keys,
    rateLimitFirst: options.rateLimitFirst,
    retryAfter: options.retryAfter,
    intercept: options.intercept,
  });
  let secret = "";
  const service = await startStubService(() => secret);
  cleanups.push(stub.close, service.close);
  const tenant = await createGatewayTenant(db(), {
    appUrl: appUrl(),
    authorizers: [{ name: "default", url: options.url ?? stub.url }],
    webhookUrl: service.url,
    unavailabilityPolicy: options.policy,
  });
  secret = tenant.webhookSecret;
  keys = await tenant.spKeys();
  const submit = (body: unknown = wipeRequest()) =>
    api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", body);
  const view = async (id: string) =>
    (await api(appUrl(), tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}`)).body;
  return { stub, service, tenant, submit, view };
}

const rows = <T>(query: SQL) => queryRows<T>(db(), query);

const settledWithoutAuthorizer = (events: { type: string }[]) =>
  events.filter((e) => ["fail_open_executed", "decided_without_authorizer"].includes(e.type));

describe("a 429 is a reachable authorizer", () => {
  it("Retry-After: 120 is a durable reschedule, never fail-open, and the submission resumes at that time", async () => {
    const w = await world({ policy: "fail_open", rateLimitFirst: 1, retryAfter: () => "120" });
    const submitted = await w.submit();
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ status: "pending", failOpen: false, authorizers: [{ state: "queued" }] });
    expect(w.stub.state.calls.map((c) => c.status)).toEqual([429]);
    const id = submitted.body.requestId as string;
    const [job] = await rows<{ wait: number; locked: boolean }>(sql`
      select extract(epoch from run_at - now())::float8 as wait, locked_until is not null as locked from jobs where request_id = ${id} and kind = 'submit'`);
    expect(job!.wait).toBeGreaterThan(110);
    expect(job!.wait).toBeLessThanOrEqual(120);
    expect(job!.locked).toBe(false);
    const view = await w.view(id);
    expect(settledWithoutAuthorizer(view.events)).toEqual([]);
    expect(view.events.find((e: any) => e.type === "submit_deferred").data).toMatchObject({ code: "rate_limited" });
    expect(w.service.state.executions.size).toBe(0);

    // At the time it named, the submission goes out again and the request is pending at the authorizer.
    await db().execute(sql`update jobs set run_at = now() where request_id = ${id} and kind = 'submit'`);
    await drainJobs(db());
    expect(w.stub.state.calls.map((c) => c.status)).toEqual([429, 202]);
    expect((await w.view(id)).authorizers).toMatchObject([{ state: "pending" }]);
  });

  it("is no fail-closed denial either: a request that only ever met 429s (HTTP-date Retry-After past its expiry) ends expired", async () => {
    const w = await world({
      policy: "fail_closed",
      rateLimitFirst: 1_000,
      retryAfter: () => new Date(Date.now() + 90_000).toUTCString(),
    });
    const submitted = await w.submit(wipeRequest({ expiresIn: 60 }));
    expect(submitted.body).toMatchObject({ status: "pending", failOpen: false });
    const id = submitted.body.requestId as string;
    expect(w.stub.state.calls.map((c) => c.status)).toEqual([429]);
    // Retrying after the expiry is pointless: the submit job is finished, the expiry sweep ends the request.
    expect(await rows(sql`select kind from jobs where request_id = ${id} and kind = 'submit'`)).toEqual([]);
    await db().execute(
      sql`update authorization_requests set expires_at = now() - interval '1 second' where request_id = ${id}`,
    );
    await expireOverdueRequests(db());
    await drainJobs(db());
    const view = await w.view(id);
    expect(view).toMatchObject({ status: "expired", statusReason: "expired", failOpen: false });
    expect(settledWithoutAuthorizer(view.events)).toEqual([]);
    expect(w.service.state.executions.size).toBe(0);
    expect(w.service.state.deliveries[0]!.body.data).toMatchObject({ status: "expired", execute: false });
  });

  it("keeps rescheduling on short Retry-Afters, each run a fresh call, until the authorizer takes it", async () => {
    const w = await world({ policy: "fail_closed", rateLimitFirst: 2, retryAfter: () => "1" });
    const submitted = await w.submit();
    const id = submitted.body.requestId as string;
    expect(submitted.body.status).toBe("pending");
    for (const expected of [
      [429, 429],
      [429, 429, 202],
    ]) {
      await new Promise((r) => setTimeout(r, 1_050));
      await drainJobs(db());
      expect(w.stub.state.calls.map((c) => c.status)).toEqual(expected);
    }
    expect(w.stub.state.calls[2]!.at - w.stub.state.calls[1]!.at).toBeGreaterThanOrEqual(950);
    expect(await w.view(id)).toMatchObject({ status: "pending", authorizers: [{ state: "pending" }] });
  });
});

describe("408 and 425 are retried like timeouts", () => {
  it("retries them, and only when the whole policy meets them is the authorizer unreachable", async () => {
    const script: Record<number, number> = { 1: 408, 2: 425 };
    const w = await world({
      policy: "fail_closed",
      intercept: ({ index }) =>
        script[index] ? { status: script[index], body: { error: "later", message: "x" } } : undefined,
    });
    const pending = await w.submit();
    expect(pending.body.status).toBe("pending");
    expect(w.stub.state.calls.map((c) => c.status)).toEqual([408, 425, 202]);

    const always = await world({ policy: "fail_closed", intercept: () => ({ status: 408, body: {} }) });
    const denied = await always.submit();
    expect(denied.body).toMatchObject({ status: "denied", statusReason: "authorizer_unavailable", failOpen: false });
    expect(always.stub.state.calls).toHaveLength(3);
  });
});

describe("refusals never fail open", () => {
  it.each([
    ["a 403", { status: 403, body: { error: "forbidden", message: "no" } }, "authorizer_error"],
    [
      "a redirect (never followed)",
      { status: 307, body: {}, headers: { location: "http://127.0.0.1:9/v1/authorization-requests" } },
      "authorizer_error",
    ],
    [
      "an answer over the size limit",
      { status: 200, body: { requestId: "x", status: "pending", padding: "x".repeat(300 * 1024) } },
      "response_too_large",
    ],
    // Only the status says "busy": a refusal whose body names rate_limited is still a refusal.
    [
      "a 400 whose body says rate_limited",
      { status: 400, body: { error: "rate_limited", message: "not really" } },
      "rate_limited",
    ],
  ])("%s fails the target as refused, after one call", async (_, answer, code) => {
    const w = await world({ policy: "fail_open", intercept: () => answer });
    const submitted = await w.submit();
    expect(submitted.body).toMatchObject({
      status: "denied",
      statusReason: "authorizer_rejected",
      failOpen: false,
      authorizers: [{ state: "failed", lastError: `rejected:${code}` }],
    });
    expect(w.stub.state.calls).toHaveLength(1);
    expect(w.service.state.executions.size).toBe(0);
  });
});
