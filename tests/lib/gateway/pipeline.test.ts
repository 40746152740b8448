import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { setupTestDatabase } from "../../setup/database";
import { api, createGatewayTenant, drainJobs, setupAppServer, wipeRequest } from "../../setup/gateway";
import { startStubAuthorizer, type StubAuthorizer, type StubMode } from "../../setup/stub-authorizer";
import { startStubService } from "../../setup/stub-service";
import { expireOverdueRequests } from "@/lib/gateway/expiry";

const db = setupTestDatabase();
const appUrl = setupAppServer();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function world(
  options: {
    modes?: Record<string, StubMode>;
    script?: string;
    policy?: "fail_closed" | "fail_open";
    names?: string[];
    pollOnly?: boolean;
    serviceAnswer?: "success" | "error";
    webhook?: boolean;
  } = {},
) {
  const names = options.names ?? ["default"];
  let spKeys: () => Promise<any[]> = async () => [];
  let cachedKeys: any[] = [];
  const stubs: Record<string, StubAuthorizer> = {};
  for (const name of names) {
    stubs[name] = await startStubAuthorizer({
      mode: options.modes?.[name] ?? "pending",
      trustedSpKeys: () => cachedKeys,
    });
    cleanups.push(stubs[name].close);
  }
  let secret = "";
  const service = await startStubService(() => secret, { answer: options.serviceAnswer });
  cleanups.push(service.close);
  const tenant = await createGatewayTenant(db(), {
    appUrl: appUrl(),
    authorizers: names.map((name) => ({ name, url: stubs[name]!.url, pollOnly: options.pollOnly })),
    webhookUrl: options.webhook === false ? undefined : service.url,
    routingScript: options.script,
    unavailabilityPolicy: options.policy,
  });
  secret = tenant.webhookSecret;
  spKeys = tenant.spKeys;
  cachedKeys = await spKeys();
  const submit = (body: unknown = wipeRequest(), headers?: Record<string, string>) =>
    api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", body, headers);
  const get = (id: string, query = "") =>
    api(appUrl(), tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}${query}`);
  return {
    tenant,
    stubs,
    service,
    submit,
    get,
    refreshKeys: async () => {
      cachedKeys = await spKeys();
    },
  };
}

describe("submit → decision → execution", () => {
  it("approves by callback and executes exactly once through the signed webhook", async () => {
    const w = await world();
    const submitted = await w.submit();
    expect(submitted.status).toBe(202);
    expect(submitted.body.status).toBe("pending");
    const id = submitted.body.requestId as string;
    expect(w.stubs.default!.state.received.get(id)?.callbackUrl).toBe(
      `${appUrl()}/api/stepauth/callback/${w.tenant.authorizers.default!.id}`,
    );

    w.stubs.default!.decide(id, "approved");
    const answer = await w.stubs.default!.callBack(id);
    expect(answer).toEqual({ status: 200, body: { requestId: id, status: "success" } });
    const again = await w.stubs.default!.callBack(id);
    expect(again).toEqual({ status: 200, body: { requestId: id, status: "success" } });

    expect(w.service.state.executions.get(id)).toBe(1);
    expect(w.service.state.deliveries).toHaveLength(1);
    expect(w.service.state.deliveries[0]!.body.data.action.type).toBe("device.wipe");
    const view = await w.get(id);
    expect(view.body).toMatchObject({
      status: "approved",
      decision: {
        decision: "approved",
        authorizer: "default",
        keyId: "auth-key-2024",
        source: "callback",
        signed: true,
      },
      execution: { state: "succeeded", channel: "webhook" },
    });
    const types = view.body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "received",
        "authorizer_attempt",
        "submitted",
        "decision_accepted",
        "webhook_delivered",
        "execution_reported",
        "decision_duplicate",
      ]),
    );
    // Received and routed is one event (the routing's outcome in its data).
    expect(view.body.events[0]).toMatchObject({ type: "received", data: { targets: ["default"], fallback: false } });
    expect(types).not.toContain("routing_evaluated");
    // A service that answers the webhook without claiming first claims with its answer (implicitly).
    expect(view.body.events.find((e: { type: string }) => e.type === "execution_reported").data).toMatchObject({
      channel: "webhook",
      implicitClaim: true,
      status: "success",
    });
    expect(JSON.stringify(view.body)).not.toContain(w.tenant.webhookSecret);
  });

  it("relays the service's execution error to the authorizer", async () => {
    const w = await world({ serviceAnswer: "error" });
    const id = (await w.submit()).body.requestId;
    w.stubs.default!.decide(id, "approved");
    expect((await w.stubs.default!.callBack(id)).body).toEqual({
      requestId: id,
      status: "error",
      error: "device no longer enrolled",
    });
    expect((await w.get(id)).body.execution).toMatchObject({ state: "failed", error: "device no longer enrolled" });
  });

  it("answers 200 at once when the authorizer decides in its submit response", async () => {
    const w = await world({ modes: { default: "approve" } });
    const submitted = await w.submit();
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({
      status: "approved",
      decision: { source: "submit" },
      execution: { state: "succeeded" },
    });
    expect(w.service.state.executions.get(submitted.body.requestId)).toBe(1);
  });

  it("answers a submit with the view a read returns, composed from what it wrote (claim mode)", async () => {
    const w = await world({
      webhook: false,
      names: ["instant", "slow"],
      modes: { instant: "approve", slow: "pending" },
      script: 'request.action.type == "device.wipe" ? ["instant"] : ["slow"]',
    });
    const withoutEvents = ({ events: _events, ...view }: Record<string, unknown>) => view;
    const approved = await w.submit();
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: "approved",
      authorizers: [{ name: "instant", state: "decided" }],
      execution: { state: "awaiting_claim" },
      delivery: null,
    });
    expect(withoutEvents(approved.body)).toEqual(withoutEvents((await w.get(approved.body.requestId)).body));
    const pending = await w.submit(wipeRequest({ action: { ...wipeRequest().action, type: "device.lock" } }));
    expect(pending.status).toBe(202);
    expect(pending.body).toMatchObject({
      status: "pending",
      authorizers: [{ name: "slow", state: "pending" }],
      decision: null,
    });
    expect(withoutEvents(pending.body)).toEqual(withoutEvents((await w.get(pending.body.requestId)).body));
  });

  it("lists a request's authorizers in routing order, in the submit answer and in a read", async () => {
    const w = await world({
      webhook: false,
      names: ["zeta", "alpha"],
      modes: { zeta: "pending", alpha: "pending" },
      script: '["zeta", "alpha"]',
    });
    const submitted = await w.submit();
    expect(submitted.body.authorizers.map((a: { name: string }) => a.name)).toEqual(["zeta", "alpha"]);
    expect((await w.get(submitted.body.requestId)).body.authorizers.map((a: { name: string }) => a.name)).toEqual([
      "zeta",
      "alpha",
    ]);
  });

  it("denies, tells the service not to execute, and executes nothing", async () => {
    const w = await world();
    const id = (await w.submit()).body.requestId;
    w.stubs.default!.decide(id, "denied");
    expect((await w.stubs.default!.callBack(id)).body).toEqual({ requestId: id, status: "success" });
    const view = await w.get(id);
    expect(view.body).toMatchObject({
      status: "denied",
      execution: { state: "not_applicable" },
      delivery: { status: "delivered", execute: false },
    });
    expect(w.service.state.executions.size).toBe(0);
    expect(w.service.state.deliveries[0]!.body.data).toMatchObject({ status: "denied", execute: false });
  });

  it("expires a request nobody decided: expired, not denied, and the service is told", async () => {
    const w = await world();
    const id = (await w.submit()).body.requestId;
    await db().execute(
      sql`update authorization_requests set expires_at = now() - interval '1 second' where request_id = ${id}`,
    );
    await expireOverdueRequests(db());
    await drainJobs(db());
    const view = await w.get(id);
    expect(view.body).toMatchObject({ status: "expired", statusReason: "expired" });
    expect(w.service.state.deliveries.at(-1)!.body.data).toMatchObject({ status: "expired", execute: false });
    // A decision arriving late is refused as expired (issue 12 item 10: not already_decided) and executes nothing.
    w.stubs.default!.decide(id, "approved");
    const late = await w.stubs.default!.callBack(id);
    expect(late.status).toBe(409);
    expect(late.body.error).toBe("request_expired");
    expect(w.service.state.executions.size).toBe(0);
  });

  it("refuses a decision that arrives after expiresAt even while the request is still pending", async () => {
    const w = await world();
    const id = (await w.submit()).body.requestId;
    await db().execute(
      sql`update authorization_requests set expires_at = now() - interval '1 second' where request_id = ${id}`,
    );
    w.stubs.default!.decide(id, "approved");
    const late = await w.stubs.default!.callBack(id);
    expect(late.status).toBe(409);
    expect(late.body.error).toBe("request_expired");
    expect(w.service.state.executions.size).toBe(0);
  });
});

describe("cancellation", () => {
  it("cancels at the authorizer and locally; a later decision executes nothing", async () => {
    const w = await world();
    const id = (await w.submit()).body.requestId;
    const cancelled = await api(appUrl(), w.tenant.apiKey, "POST", `/api/v1/authorization-requests/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    expect(w.stubs.default!.state.cancels).toEqual([id]);
    w.stubs.default!.decide(id, "approved");
    const late = await w.stubs.default!.callBack(id);
    expect(late.status).toBe(409);
    expect(late.body.error).toBe("request_cancelled");
    expect(w.service.state.executions.size).toBe(0);
    expect((await api(appUrl(), w.tenant.apiKey, "POST", `/api/v1/authorization-requests/${id}/cancel`)).status).toBe(
      200,
    );
  });

  // PROTOCOL.md "Decision freshness and authority": cancel wins over a racing decision. (This test
  // used to expect the authorizer's 409 decision to be applied and executed; the profile now pins
  // that it is kept in the timeline and changes nothing.)
  it("cancels even when the authorizer had already decided: its 409 decision is kept in the timeline and executes nothing", async () => {
    const w = await world();
    const id = (await w.submit()).body.requestId;
    w.stubs.default!.decide(id, "approved");
    const cancelled = await api(appUrl(), w.tenant.apiKey, "POST", `/api/v1/authorization-requests/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "cancelled" });
    expect(w.stubs.default!.state.cancels).toEqual([id]);
    const events = (await w.get(id)).body.events as { type: string; data: Record<string, unknown> | null }[];
    expect(events.filter((e) => e.type === "decision_refused").map((e) => e.data)).toEqual([
      expect.objectContaining({ source: "cancel", code: "cancelled", decision: "approved" }),
    ]);
    expect(w.service.state.executions.size).toBe(0);
  });
});

describe("routing", () => {
  it("routes to the named authorizer only", async () => {
    const w = await world({
      names: ["default", "security"],
      script: 'request.action.category.startsWith("infra.") ? ["security"] : ["default"]',
    });
    const submitted = await w.submit();
    expect(submitted.body.routing).toEqual({ targets: ["security"], fallbackReason: null, error: null });
    expect(w.stubs.security!.state.received.size).toBe(1);
    expect(w.stubs.default!.state.received.size).toBe(0);
  });

  it("decides $approve and $deny without contacting an authorizer, marked unsigned", async () => {
    const approve = await world({ script: '["$approve"]' });
    const approved = await approve.submit();
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: "approved",
      decision: { source: "routing", signed: false },
      execution: { state: "succeeded" },
    });
    expect(approve.stubs.default!.state.calls).toHaveLength(0);
    const deny = await world({
      script: 'request.action.details.device.serial == "C02ZX1ABCDEF" ? ["$deny"] : ["default"]',
    });
    const denied = await deny.submit();
    expect(denied.body).toMatchObject({ status: "denied", statusReason: "routing_deny" });
    expect(deny.service.state.executions.size).toBe(0);
  });

  it("falls back to the default authorizer on a broken script and records why", async () => {
    const w = await world({
      names: ["default", "finance"],
      script: 'request.action.details.amount > 100 ? ["finance"] : ["nobody"]',
    });
    const submitted = await w.submit();
    expect(submitted.status).toBe(202);
    expect(submitted.body.routing.targets).toEqual(["default"]);
    expect(submitted.body.routing.fallbackReason).toMatch(/error/);
    expect(w.stubs.default!.state.received.size).toBe(1);
  });

  it("sends to every authorizer without a script; the first decision wins and the other is cancelled", async () => {
    const w = await world({ names: ["primary", "backup"] });
    const id = (await w.submit()).body.requestId;
    expect(w.stubs.primary!.state.received.has(id) && w.stubs.backup!.state.received.has(id)).toBe(true);
    w.stubs.backup!.decide(id, "approved");
    w.stubs.primary!.decide(id, "denied");
    const [first, second] = [await w.stubs.backup!.callBack(id), await w.stubs.primary!.callBack(id)];
    expect(first.body.status).toBe("success");
    expect(second.status).toBe(409);
    await drainJobs(db());
    expect(w.stubs.primary!.state.cancels).toEqual([id]);
    const view = await w.get(id);
    expect(view.body.decision.authorizer).toBe("backup");
    expect(w.service.state.executions.get(id)).toBe(1);
  });
});
