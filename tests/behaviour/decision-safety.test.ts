import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import * as authorizerItem from "@/app/api/v1/authorizers/[name]/route";
import { setupTestDatabase } from "../setup/database";
import { api, createGatewayTenant, drainJobs, setupAppServer, wipeRequest } from "../setup/gateway";
import { signAsAuthorizer, startStubAuthorizer, vectors, type StubAuthorizer } from "../setup/stub-authorizer";
import { startStubService } from "../setup/stub-service";
import { expireOverdueRequests } from "@/lib/gateway/expiry";

// Issue 13 (items 2, 4, 5) and issue 12 (item 10): only a valid, current decision can approve.
const db = setupTestDatabase();
const appUrl = setupAppServer({ "/api/v1/authorizers/:name": authorizerItem });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function world(options: { names?: string[]; script?: string; pollOnly?: boolean } = {}) {
  const names = options.names ?? ["default"];
  let cachedKeys: any[] = [];
  const stubs: Record<string, StubAuthorizer> = {};
  for (const name of names) {
    stubs[name] = await startStubAuthorizer({ trustedSpKeys: () => cachedKeys });
    cleanups.push(stubs[name].close);
  }
  let secret = "";
  const service = await startStubService(() => secret);
  cleanups.push(service.close);
  const tenant = await createGatewayTenant(db(), {
    appUrl: appUrl(),
    authorizers: names.map((name) => ({ name, url: stubs[name]!.url, pollOnly: options.pollOnly })),
    webhookUrl: service.url,
    routingScript: options.script,
  });
  secret = tenant.webhookSecret;
  cachedKeys = await tenant.spKeys();
  const call = (method: string, path: string, body?: unknown) => api(appUrl(), tenant.apiKey, method, path, body);
  const submit = () => call("POST", "/api/v1/authorization-requests", wipeRequest());
  const get = (id: string) => call("GET", `/api/v1/authorization-requests/${id}`);
  const events = async (id: string) =>
    (await get(id)).body.events as { type: string; data: Record<string, unknown> | null }[];
  return { tenant, stubs, service, call, submit, get, events };
}

async function postCallback(authorizerId: string, body: unknown) {
  const response = await fetch(`${appUrl()}/api/stepauth/callback/${authorizerId}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const duplicateDecision = (r: { requestId: string; spId: string; timestamp: string }) =>
  `{"requestId":"${r.requestId}","spId":"${r.spId}","decision":"denied","decision":"approved","timestamp":"${r.timestamp}"}`;
const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString().replace(/\.\d+Z$/, "Z");

describe("strict signed JSON: two parsers never read two decisions", () => {
  it("refuses a callback whose signed bytes hold a denial and then an approval, executing nothing", async () => {
    const w = await world();
    const id = (await w.submit()).body.requestId as string;
    w.stubs.default!.decideBytes(id, duplicateDecision);
    expect(await w.stubs.default!.callBack(id)).toMatchObject({ status: 400, body: { error: "malformed_request" } });
    expect((await w.get(id)).body.status).toBe("pending");
    expect(w.service.state.executions.size).toBe(0);
  });

  it("refuses every mustRejectAfterVerify vector at the callback with 400 malformed_request", async () => {
    const w = await world();
    const entries = Object.entries(vectors.mustRejectAfterVerify).filter(([name]) => name !== "about");
    expect(entries.length).toBeGreaterThanOrEqual(3);
    for (const [name, envelope] of entries) {
      const answer = await postCallback(w.tenant.authorizers.default!.id, envelope);
      expect({ name, status: answer.status, error: answer.body.error }).toEqual({
        name,
        status: 400,
        error: "malformed_request",
      });
    }
  });

  it("refuses such a decision in a submit answer: the target fails as refused, never approved", async () => {
    const w = await world();
    w.stubs.default!.state.decideOnSubmit = (r) => signAsAuthorizer(duplicateDecision({ ...r, timestamp: isoIn(0) }));
    const submitted = await w.submit();
    expect(submitted.body.status).not.toBe("approved");
    const view = await w.get(submitted.body.requestId);
    expect(view.body).toMatchObject({ status: "denied", statusReason: "authorizer_rejected" });
    expect(w.service.state.executions.size).toBe(0);
  });

  it("refuses such a decision in a poll answer: the request stays pending", async () => {
    const w = await world({ pollOnly: true });
    const id = (await w.submit()).body.requestId as string;
    w.stubs.default!.decideBytes(id, duplicateDecision);
    await db().execute(sql`update jobs set run_at = now() where request_id = ${id} and kind = 'poll'`);
    await drainJobs(db());
    expect(w.stubs.default!.state.calls.some((c) => c.path.endsWith("/poll") && c.status === 200)).toBe(true);
    expect((await w.get(id)).body.status).toBe("pending");
    expect(w.service.state.executions.size).toBe(0);
  });
});

describe("decision freshness", () => {
  it("refuses a decision dated 2001 or ahead of now + 5 min with 400 malformed_request, keeps it in the timeline, and a fresh one still wins", async () => {
    const w = await world();
    const id = (await w.submit()).body.requestId as string;
    w.stubs.default!.decide(id, "approved", { timestamp: "2001-02-18T14:41:07Z" });
    expect(await w.stubs.default!.callBack(id)).toMatchObject({ status: 400, body: { error: "malformed_request" } });
    w.stubs.default!.decide(id, "approved", { timestamp: isoIn(10 * 60_000) });
    expect(await w.stubs.default!.callBack(id)).toMatchObject({ status: 400, body: { error: "malformed_request" } });
    w.stubs.default!.decide(id, "approved", { timestamp: "0000-01-01T00:00:00Z" });
    expect(await w.stubs.default!.callBack(id)).toMatchObject({ status: 400, body: { error: "malformed_request" } });
    const view = await w.get(id);
    expect(view.body.status).toBe("pending");
    expect(view.body.decision ?? null).toBeNull();
    const refused = (await w.events(id)).filter((e) => e.type === "decision_refused");
    expect(refused.map((e) => e.data?.code)).toEqual(["stale_timestamp", "stale_timestamp", "stale_timestamp"]);
    expect(w.service.state.executions.size).toBe(0);

    w.stubs.default!.decide(id, "approved");
    expect(await w.stubs.default!.callBack(id)).toMatchObject({ status: 200, body: { status: "success" } });
    expect(w.service.state.executions.get(id)).toBe(1);
  });
});

describe("decision after expiry", () => {
  it("answers 409 request_expired, not already_decided, once the request has expired", async () => {
    const w = await world();
    const id = (await w.submit()).body.requestId as string;
    await db().execute(
      sql`update authorization_requests set expires_at = now() - interval '1 second' where request_id = ${id}`,
    );
    await expireOverdueRequests(db());
    await drainJobs(db());
    expect((await w.get(id)).body.status).toBe("expired");
    w.stubs.default!.decide(id, "approved");
    expect(await w.stubs.default!.callBack(id)).toMatchObject({ status: 409, body: { error: "request_expired" } });
    expect(w.service.state.executions.size).toBe(0);
  });
});

describe("a repeated delivery of the winning decision", () => {
  it("answers the same result again when the authorizer's own decision was expired", async () => {
    const w = await world();
    const id = (await w.submit()).body.requestId as string;
    w.stubs.default!.decide(id, "expired");
    const first = await w.stubs.default!.callBack(id);
    expect(first.status).toBe(200);
    expect((await w.get(id)).body.status).toBe("expired");
    const again = await w.stubs.default!.callBack(id);
    expect(again).toEqual(first);
    expect(w.service.state.executions.size).toBe(0);
  });
});

describe("cancel first, then tell", () => {
  it("refuses a decision that arrives while the authorizers are being told: nothing executes", async () => {
    const w = await world();
    const id = (await w.submit()).body.requestId as string;
    const stub = w.stubs.default!;
    let racing: { status: number; body: Record<string, unknown> } | undefined;
    stub.state.onCancel = async (requestId) => {
      stub.decide(requestId, "approved");
      racing = await stub.callBack(requestId);
    };
    const cancelled = await w.call("POST", `/api/v1/authorization-requests/${id}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { status: "cancelled" } });
    expect(racing).toMatchObject({ status: 409, body: { error: "request_cancelled" } });
    expect(w.service.state.executions.size).toBe(0);
    // The authorizer's 409 with its decision is kept in the timeline and changes nothing.
    const refused = (await w.events(id)).filter((e) => e.type === "decision_refused");
    expect(refused.map((e) => [e.data?.source, e.data?.code])).toEqual(
      expect.arrayContaining([
        ["callback", "cancelled"],
        ["cancel", "cancelled"],
      ]),
    );
    expect((await w.get(id)).body.status).toBe("cancelled");
  });
});

describe("kill switch: disabling an authorizer", () => {
  it("refuses its decisions with 403 authorizer_disabled, cancels at it, and denies a request left with no live target", async () => {
    const w = await world({ names: ["default", "security"], script: '["security"]' });
    const id = (await w.submit()).body.requestId as string;
    const security = w.stubs.security!;
    expect(security.state.received.has(id)).toBe(true);
    expect(await w.call("PATCH", "/api/v1/authorizers/security", { enabled: false })).toMatchObject({ status: 200 });

    security.decide(id, "approved");
    expect(await security.callBack(id)).toMatchObject({ status: 403, body: { error: "authorizer_disabled" } });
    expect(w.service.state.executions.size).toBe(0);
    await drainJobs(db());
    expect((await w.get(id)).body).toMatchObject({ status: "denied", statusReason: "authorizer_disabled" });
    expect(security.state.cancels).toEqual([id]);
    expect(w.service.state.executions.size).toBe(0);
    expect(w.service.state.deliveries.at(-1)!.body.data).toMatchObject({ status: "denied", execute: false });
  });

  it("refuses the decision it answers the cancel with, and a request with another live target waits for that one", async () => {
    const w = await world({ names: ["default", "security"], pollOnly: true });
    const id = (await w.submit()).body.requestId as string;
    expect(await w.call("PATCH", "/api/v1/authorizers/security", { enabled: false })).toMatchObject({ status: 200 });
    w.stubs.security!.decide(id, "approved");
    await db().execute(sql`update jobs set run_at = now() where request_id = ${id} and kind = 'poll'`);
    await drainJobs(db());
    expect((await w.get(id)).body.status).toBe("pending");
    expect(w.stubs.security!.state.cancels).toEqual([id]);
    expect(w.service.state.executions.size).toBe(0);
    const refused = (await w.events(id)).filter((e) => e.type === "decision_refused");
    expect(refused.map((e) => [e.data?.source, e.data?.code])).toEqual([["cancel", "authorizer_disabled"]]);

    w.stubs.default!.decide(id, "approved");
    await db().execute(sql`update jobs set run_at = now() where request_id = ${id} and kind = 'poll'`);
    await drainJobs(db());
    expect((await w.get(id)).body).toMatchObject({
      status: "approved",
      decision: { authorizer: "default", source: "poll" },
    });
    expect(w.service.state.executions.get(id)).toBe(1);
  });
});
