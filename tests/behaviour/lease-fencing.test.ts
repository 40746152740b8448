import { sql, type SQL } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { claimDueJobs } from "@/db/queries/system/jobs";
import { DELIVERY_LEASE_SECONDS } from "@/lib/gateway/finalize";
import { JOB_LEASE_SECONDS, runJob } from "@/lib/jobs/job-runner";
import { setupTestDatabase, queryRows } from "../setup/database";
import { api, createGatewayTenant, setupAppServer, wipeRequest } from "../setup/gateway";
import { startStubAuthorizer } from "../setup/stub-authorizer";
import { startStubService } from "../setup/stub-service";

// A submit run that outlives its job lease must not be able to change anything once a second
// worker has taken the job over: every write of a run is conditional on its lease token.
const db = setupTestDatabase();
const appUrl = setupAppServer();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const rows = <T>(query: SQL) => queryRows<T>(db(), query);

/**
 * A fail-open tenant whose authorizer holds the first submit call until `release()` and then
 * answers it 503, handles the second normally (202 pending), and answers every later call 503:
 * the first run is still sending when its lease runs out and a second worker takes over.
 */
async function heldWorld(maxAttempts: number, takeOver: boolean) {
  let keys: any[] = [];
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let held: (id: string) => void = () => {};
  const firstCall = new Promise<string>((resolve) => (held = resolve));
  const stub = await startStubAuthorizer({
    trustedSpKeys: () => keys,
    intercept: async ({ index, requestId }) => {
      if (index === 1) {
        held(requestId!);
        await released;
        return { status: 503, body: { error: "unavailable", message: "down" } };
      }
      return index === 2 ? undefined : { status: 503, body: { error: "unavailable", message: "down" } };
    },
  });
  let secret = "";
  const service = await startStubService(() => secret);
  cleanups.push(stub.close, service.close);
  const tenant = await createGatewayTenant(db(), {
    appUrl: appUrl(),
    authorizers: [{ name: "default", url: stub.url }],
    webhookUrl: service.url,
    unavailabilityPolicy: "fail_open",
    maxAttempts,
  });
  // The held attempt must not time out on a slow machine: the test decides when it ends.
  await db().execute(
    sql`update tenant_settings set retry_policy = jsonb_set(retry_policy, '{attemptTimeoutMs}', '10000') where tenant_id = ${tenant.tenantId}`,
  );
  secret = tenant.webhookSecret;
  keys = await tenant.spKeys();

  const answer = api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest());
  const id = await firstCall;
  // The first run's lease runs out while its call is in flight; a second worker takes the job over.
  await db().execute(
    sql`update jobs set locked_until = now() - interval '1 second' where request_id = ${id} and kind = 'submit'`,
  );
  if (takeOver) {
    // The second worker's claim, as runDueJobs makes it (only this request's: PostgreSQL is shared by the test files).
    const claimed = await claimDueJobs(
      db(),
      8,
      { seconds: JOB_LEASE_SECONDS, byKind: { deliver: DELIVERY_LEASE_SECONDS } },
      { requestId: id },
    );
    expect(claimed.map((j) => j.kind)).toEqual(["submit"]);
    await runJob(db(), claimed[0]!);
  }
  release();
  const submitted = await answer;
  const view = (await api(appUrl(), tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}`)).body;
  return { stub, service, tenant, id, submitted, view };
}

function expectNoSettlementWithoutAuthorizer(view: { events: { type: string }[] }) {
  expect(
    view.events.filter((e) => ["fail_open_executed", "decided_without_authorizer", "submit_failed"].includes(e.type)),
  ).toEqual([]);
}

describe("a submit run whose lease was taken over", () => {
  it("stops sending at its next attempt: one send sequence wins, pending is kept, nothing fails open or runs twice", async () => {
    const w = await heldWorld(3, true);
    expect(w.submitted.body).toMatchObject({ status: "pending", failOpen: false });
    // The first run's held call, then the second worker's: the first run never sent again.
    expect(w.stub.state.calls.map((c) => c.status)).toEqual([202, 503]);
    expect(w.view).toMatchObject({
      status: "pending",
      failOpen: false,
      authorizers: [{ state: "pending", lastError: null }],
    });
    expectNoSettlementWithoutAuthorizer(w.view);
    expect(w.service.state.executions.size).toBe(0);

    // The authorizer's own decision is the one that counts, and it executes once.
    w.stub.decide(w.id, "approved");
    expect((await w.stub.callBack(w.id)).status).toBe(200);
    const decided = (await api(appUrl(), w.tenant.apiKey, "GET", `/api/v1/authorization-requests/${w.id}`)).body;
    expect(decided).toMatchObject({ status: "approved", failOpen: false, decision: { source: "callback" } });
    expect(w.service.state.executions.get(w.id)).toBe(1);
  });

  it("writes nothing when its last attempt fails after the takeover: no overwritten pending, no fail-open", async () => {
    const w = await heldWorld(1, true);
    expect(w.stub.state.calls.map((c) => c.status)).toEqual([202, 503]);
    expect(w.view).toMatchObject({
      status: "pending",
      failOpen: false,
      authorizers: [{ state: "pending", lastError: null }],
    });
    expectNoSettlementWithoutAuthorizer(w.view);
    expect(w.service.state.executions.size).toBe(0);
    // Neither the stale run's completion nor its reschedule touched the second worker's jobs.
    expect(await rows(sql`select kind from jobs where request_id = ${w.id} order by kind`)).toEqual([{ kind: "poll" }]);
  });

  it("keeps a lease that ran out but was not taken over, renewing it between attempts", async () => {
    const w = await heldWorld(3, false);
    // 503 (the held call), then the retry is taken: the run went on under its renewed lease.
    expect(w.stub.state.calls.map((c) => c.status)).toEqual([503, 202]);
    expect(w.view).toMatchObject({ status: "pending", authorizers: [{ state: "pending" }] });
    expect(await rows(sql`select kind from jobs where request_id = ${w.id} and kind = 'submit'`)).toEqual([]);
  });
});
