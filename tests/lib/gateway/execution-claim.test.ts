import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { updateAuthorizer } from "@/db/queries/authorizers";
import { claimDueJobs } from "@/db/queries/system/jobs";
import { CALLBACK_RESULT_WAIT_MS } from "@/lib/gateway/execution-claim";
import { DELIVERY_LEASE_SECONDS } from "@/lib/gateway/finalize";
import { JOB_LEASE_SECONDS, runJob } from "@/lib/jobs/job-runner";
import { setupTestDatabase } from "../../setup/database";
import { api, createGatewayTenant, drainJobs, setupAppServer, wipeRequest } from "../../setup/gateway";
import { startStubAuthorizer } from "../../setup/stub-authorizer";
import { startStubService } from "../../setup/stub-service";

const db = setupTestDatabase();
const appUrl = setupAppServer();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

type Setup = {
  pollOnly?: boolean;
  acceptResults?: boolean;
  webhook?: "accepted" | "success" | "none";
  serviceDelayMs?: number;
};

async function setup(options: Setup = {}) {
  let keys: any[] = [];
  const stub = await startStubAuthorizer({ trustedSpKeys: () => keys, acceptResults: options.acceptResults ?? true });
  let secret = "";
  const service =
    options.webhook && options.webhook !== "none"
      ? await startStubService(() => secret, { answer: options.webhook, delayMs: options.serviceDelayMs })
      : null;
  cleanups.push(stub.close, ...(service ? [service.close] : []));
  const tenant = await createGatewayTenant(db(), {
    appUrl: appUrl(),
    authorizers: [{ name: "default", url: stub.url, pollOnly: options.pollOnly }],
    webhookUrl: service?.url,
  });
  secret = tenant.webhookSecret;
  keys = await tenant.spKeys();
  const submit = async () =>
    (await api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest())).body
      .requestId as string;
  return { stub, service, tenant, submit };
}

type Ctx = Awaited<ReturnType<typeof setup>>;
const claim = (c: Ctx, id: string, body?: unknown) =>
  api(appUrl(), c.tenant.apiKey, "POST", `/api/v1/authorization-requests/${id}/execution`, body);
const view = async (c: Ctx, id: string) =>
  (await api(appUrl(), c.tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}`)).body;
const eventsOf = async (c: Ctx, id: string, type: string) =>
  (await view(c, id)).events.filter((e: any) => e.type === type);

async function approveByPoll(c: Ctx, id: string) {
  c.stub.decide(id, "approved");
  await db().execute(sql`update jobs set run_at = now() where request_id = ${id} and kind = 'poll'`);
  await drainJobs(db());
  expect((await view(c, id)).status).toBe("approved");
}

async function approveByCallback(c: Ctx, id: string) {
  c.stub.decide(id, "approved");
  return c.stub.callBack(id);
}

describe("claim before run", () => {
  it("20 concurrent claims: exactly one 200, every other 409 already_claimed with the execution as it stands", async () => {
    const c = await setup({ pollOnly: true });
    const id = await c.submit();
    await approveByPoll(c, id);
    const answers = await Promise.all(Array.from({ length: 20 }, () => claim(c, id)));
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    expect(won[0]!.body).toMatchObject({ requestId: id, claimed: true, failOpen: false });
    expect(won[0]!.body.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
    const refused = answers.filter((a) => a.status !== 200);
    expect(
      refused.every(
        (a) =>
          a.status === 409 && a.body.error === "already_claimed" && a.body.details.execution.status === "executing",
      ),
    ).toBe(true);
    const count = await db().execute(sql`select count(*)::int as n from executions where request_id = ${id}`);
    expect((count as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
  });

  it("the execute webhook carries claimUrl, the approved payload's SHA-256 and the window; another hash is refused", async () => {
    const c = await setup({ webhook: "accepted" });
    const id = await c.submit();
    expect((await approveByCallback(c, id)).body).toEqual({ requestId: id, status: "accepted" });
    const delivery = c.service!.state.deliveries.find((d) => d.body.data.execute);
    const terms = delivery!.body.data.execution;
    expect(terms.claimUrl).toBe(`${appUrl()}/api/v1/authorization-requests/${id}/execution`);
    // The hash of the exact bytes the authorizer received, verified and approved.
    expect(terms.payloadSha256).toBe(
      createHash("sha256").update(c.stub.state.received.get(id)!.payloadBytes).digest("hex"),
    );
    const closesIn = Date.parse(terms.windowClosesAt) - Date.now();
    expect(closesIn).toBeGreaterThan(9 * 60_000);
    expect(closesIn).toBeLessThanOrEqual(10 * 60_000);

    const mismatch = await claim(c, id, { payloadSha256: "0".repeat(64) });
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.error).toBe("payload_mismatch");
    expect(await eventsOf(c, id, "execution_refused")).toHaveLength(1);
    const claimed = await claim(c, id, { payloadSha256: terms.payloadSha256 });
    expect(claimed.status).toBe(200);
    expect(claimed.body.windowClosesAt).toBe(terms.windowClosesAt);
    expect((await claim(c, id, { payloadSha256: terms.payloadSha256 })).body.error).toBe("already_claimed");
  });

  it("a claim after the window: 410, in the timeline, reported to the authorizer as an error result", async () => {
    const c = await setup({ pollOnly: true });
    const id = await c.submit();
    await approveByPoll(c, id);
    await db().execute(
      sql`update authorization_requests set execution_closes_at = now() - interval '1 second' where request_id = ${id}`,
    );
    const late = await claim(c, id);
    expect(late.status).toBe(410);
    expect(late.body.error).toBe("execution_window_closed");
    expect((await claim(c, id)).status).toBe(410);
    expect(await eventsOf(c, id, "execution_window_closed")).toHaveLength(1);
    await drainJobs(db());
    expect(c.stub.state.results).toHaveLength(1);
    expect(c.stub.state.results[0]).toMatchObject({ requestId: id, status: "error" });
    expect(String(c.stub.state.results[0]!.error)).toContain("execution_window_closed");
    expect(await eventsOf(c, id, "result_reported")).toHaveLength(1);
  });

  it("the tenant's window bounds claims, never past the request's expiresAt", async () => {
    const c = await setup({ pollOnly: true });
    await db().execute(
      sql`update tenant_settings set execution_window_seconds = 120 where tenant_id = ${c.tenant.tenantId}`,
    );
    const short = await c.submit();
    await approveByPoll(c, short);
    const closesIn = Date.parse((await claim(c, short)).body.windowClosesAt) - Date.now();
    expect(closesIn).toBeGreaterThan(100_000);
    expect(closesIn).toBeLessThanOrEqual(120_000);
    await db().execute(
      sql`update tenant_settings set execution_window_seconds = 86400 where tenant_id = ${c.tenant.tenantId}`,
    );
    const id = (
      await api(appUrl(), c.tenant.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest({ expiresIn: 300 }))
    ).body.requestId as string;
    await approveByPoll(c, id);
    const v = await view(c, id);
    expect(v.execution.windowClosesAt).toBe(v.expiresAt);
    expect((await claim(c, id)).body.windowClosesAt).toBe(new Date(v.expiresAt).toISOString());
  });

  // Needs a database with its own clock: in-process PGlite reads the same (here faked) JS clock as the app.
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "a claim after the window by the database's clock is refused, whatever the app server's clock says (PostgreSQL)",
    async () => {
      const c = await setup({ pollOnly: true });
      const id = await c.submit();
      await approveByPoll(c, id);
      await db().execute(
        sql`update authorization_requests set execution_closes_at = now() - interval '1 second' where request_id = ${id}`,
      );
      // The app server's clock is an hour behind the database's: by its own clock the window is still open.
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 3_600_000 });
      let late: Awaited<ReturnType<typeof claim>>;
      try {
        late = await claim(c, id);
      } finally {
        vi.useRealTimers();
      }
      expect(late.status).toBe(410);
      expect(late.body.error).toBe("execution_window_closed");
      expect((await view(c, id)).execution).toMatchObject({ state: "failed", channel: "window_closed" });
    },
  );

  it("a legacy webhook answer never finishes an API claim: the claimer's own report does", async () => {
    const c = await setup({ pollOnly: true, webhook: "success", serviceDelayMs: 1_500 });
    const id = await c.submit();
    c.stub.decide(id, "approved");
    await db().execute(sql`update jobs set run_at = now() where request_id = ${id} and kind = 'poll'`);
    const draining = drainJobs(db());
    // The service has the execute webhook and is still answering it when an API claimer claims.
    await expect
      .poll(() => c.service!.state.deliveries.some((d) => d.body.data.execute), { timeout: 10_000 })
      .toBe(true);
    expect((await claim(c, id)).status).toBe(200);
    await draining;
    expect((await view(c, id)).execution).toMatchObject({ state: "executing", channel: "api" });
    expect(await eventsOf(c, id, "execution_reported")).toHaveLength(0);
    const reported = await claim(c, id, { status: "error", error: "device offline" });
    expect(reported.status).toBe(200);
    expect((await view(c, id)).execution).toMatchObject({ state: "failed", channel: "api", error: "device offline" });
    await drainJobs(db());
    expect(c.stub.state.results).toEqual([expect.objectContaining({ requestId: id, status: "error" })]);
  });

  it("a delivery run taken over while the service answers records its answer once", async () => {
    const c = await setup({ pollOnly: true, webhook: "success", serviceDelayMs: 1_500 });
    const id = await c.submit();
    c.stub.decide(id, "approved");
    await db().execute(sql`update jobs set run_at = now() where request_id = ${id} and kind = 'poll'`);
    const first = drainJobs(db());
    await expect.poll(() => c.service!.state.deliveries.length, { timeout: 10_000 }).toBe(1);
    // The first run's lease runs out while its webhook is in flight; a second worker takes the job over.
    await db().execute(
      sql`update jobs set locked_until = now() - interval '1 second' where request_id = ${id} and kind = 'deliver'`,
    );
    const [job] = await claimDueJobs(
      db(),
      10,
      { seconds: JOB_LEASE_SECONDS, byKind: { deliver: DELIVERY_LEASE_SECONDS } },
      { requestId: id, kinds: ["deliver"] },
    );
    expect(job).toBeDefined();
    await Promise.all([first, runJob(db(), job!)]);
    expect(c.service!.state.deliveries).toHaveLength(2);
    expect(await eventsOf(c, id, "webhook_delivered")).toHaveLength(1);
    expect(await eventsOf(c, id, "execution_reported")).toHaveLength(1);
  });

  it("a legacy webhook answer without a claim claims implicitly: a later claim is 409 with the result", async () => {
    const c = await setup({ webhook: "success" });
    const id = await c.submit();
    expect((await approveByCallback(c, id)).body).toEqual({ requestId: id, status: "success" });
    const late = await claim(c, id);
    expect(late.status).toBe(409);
    expect(late.body.details.execution).toMatchObject({ status: "success", channel: "webhook" });
    expect(c.service!.state.executions.get(id)).toBe(1);
  });
});

describe("truthful results", () => {
  it("the result of a poll-delivered decision reaches the authorizer as a signed result report", async () => {
    const c = await setup({ pollOnly: true });
    const id = await c.submit();
    await approveByPoll(c, id);
    expect((await claim(c, id)).status).toBe(200);
    expect((await claim(c, id, { status: "success" })).status).toBe(200);
    await drainJobs(db());
    // The stub records a report only once its envelope verified with the tenant's registered keys.
    expect(c.stub.state.results).toHaveLength(1);
    expect(c.stub.state.results[0]).toMatchObject({
      requestId: id,
      status: "success",
      spId: c.tenant.authorizers.default!.spId,
    });
    expect(typeof c.stub.state.results[0]!.executedAt).toBe("string");
    const v = await view(c, id);
    expect(v.events.filter((e: any) => e.type === "result_reported")).toHaveLength(1);
    // A second drain sends nothing more.
    await db().execute(sql`update jobs set run_at = now() where request_id = ${id}`);
    await drainJobs(db());
    expect(c.stub.state.results).toHaveLength(1);
  });

  it("an authorizer answering 404 without unknown_request is asked once, then never again", async () => {
    const c = await setup({ pollOnly: true, acceptResults: false });
    const first = await c.submit();
    const second = await c.submit();
    for (const id of [first, second]) {
      await approveByPoll(c, id);
      expect((await claim(c, id)).status).toBe(200);
      expect((await claim(c, id, { status: "error", error: "device offline" })).status).toBe(200);
      await drainJobs(db());
    }
    expect(c.stub.state.calls.filter((call) => call.path.endsWith("/result"))).toHaveLength(1);
    expect(await eventsOf(c, first, "result_reports_unsupported")).toHaveLength(1);
    expect(await eventsOf(c, second, "result_report_skipped")).toHaveLength(1);
    const [row] = (
      (await db().execute(
        sql`select result_reports_unsupported_at from authorizers where id = ${c.tenant.authorizers.default!.id}`,
      )) as unknown as { rows: { result_reports_unsupported_at: unknown }[] }
    ).rows;
    expect(row!.result_reports_unsupported_at).not.toBeNull();
    // Pointed elsewhere, the authorizer is asked again.
    const moved = await updateAuthorizer(db(), c.tenant.ctx, "default", { endpoint: `${c.stub.url}/v2` });
    expect(moved?.resultReportsUnsupportedAt).toBeNull();
  });

  it("claim mode: the callback answers accepted; the reported result follows as a result report", async () => {
    const c = await setup();
    const id = await c.submit();
    expect((await approveByCallback(c, id)).body).toEqual({ requestId: id, status: "accepted" });
    expect((await claim(c, id)).status).toBe(200);
    expect((await claim(c, id, { status: "success" })).status).toBe(200);
    // A callback-decided result waits out the callback's own wait before it is reported.
    await db().execute(sql`update jobs set run_at = now() where request_id = ${id} and kind = 'report'`);
    await drainJobs(db());
    expect(c.stub.state.results).toEqual([expect.objectContaining({ requestId: id, status: "success" })]);
    // The authorizer delivers the decision again: now the result is known and answered.
    expect((await c.stub.callBack(id)).body).toEqual({ requestId: id, status: "success" });
  });

  it("a webhook slower than the callback's wait: accepted within the authorizer's timeout; the result follows as a report", async () => {
    // The authorizer stops listening after its per-attempt timeout (5 s by default, PROTOCOL.md): the
    // callback answers before that, and a result it did not answer is never marked as told by callback.
    expect(CALLBACK_RESULT_WAIT_MS).toBeLessThanOrEqual(3_000);
    const c = await setup({ webhook: "success", serviceDelayMs: 4_000 });
    const id = await c.submit();
    const started = Date.now();
    expect((await approveByCallback(c, id)).body).toEqual({ requestId: id, status: "accepted" });
    expect(Date.now() - started).toBeLessThan(4_000);
    await expect.poll(async () => (await view(c, id)).execution?.state, { timeout: 10_000 }).toBe("succeeded");
    await db().execute(sql`update jobs set run_at = now() where request_id = ${id} and kind = 'report'`);
    await drainJobs(db());
    expect(c.stub.state.results).toEqual([expect.objectContaining({ requestId: id, status: "success" })]);
    const [row] = (
      (await db().execute(sql`select result_reported_via from executions where request_id = ${id}`)) as unknown as {
        rows: { result_reported_via: string }[];
      }
    ).rows;
    expect(row!.result_reported_via).toBe("result_report");
  }, 30_000);
});
