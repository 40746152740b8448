import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getOverviewStats } from "@/db/queries/request-stats";
import { readRequestStats, rebuildRequestStats } from "@/db/queries/request-stats-rollup";
import { setupTestDatabase } from "../../setup/database";
import { api, createGatewayTenant, drainJobs, setupAppServer, wipeRequest } from "../../setup/gateway";
import { startStubAuthorizer, type StubAuthorizer } from "../../setup/stub-authorizer";
import { expireOverdueRequests } from "@/lib/gateway/expiry";

// The overview's rollup is kept by the submit and finalize statements: after every kind of status
// change it must equal the same count taken over the requests themselves.
const db = setupTestDatabase();
const appUrl = setupAppServer();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function world(policy: "fail_closed" | "fail_open" = "fail_closed") {
  let keys: any[] = [];
  const stubs: Record<string, StubAuthorizer> = {
    reviewing: await startStubAuthorizer({ mode: "pending", trustedSpKeys: () => keys }),
    instant: await startStubAuthorizer({ mode: "approve", trustedSpKeys: () => keys }),
    // Times out on every attempt: unreachable, so the unavailability policy decides.
    down: await startStubAuthorizer({ trustedSpKeys: () => keys, intercept: () => ({ status: 408, body: {} }) }),
  };
  for (const stub of Object.values(stubs)) cleanups.push(stub.close);
  const tenant = await createGatewayTenant(db(), {
    appUrl: appUrl(),
    authorizers: Object.entries(stubs).map(([name, stub]) => ({ name, url: stub.url })),
    // Route by the action type, so one tenant exercises every path.
    routingScript: `request.action.type == "auto.approve" ? ["$approve"] : request.action.type == "instant" ? ["instant"] : request.action.type == "down" ? ["down"] : ["reviewing"]`,
    unavailabilityPolicy: policy,
  });
  keys = await tenant.spKeys();
  const submit = async (type = "device.wipe") => {
    const body = wipeRequest();
    const response = await api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", {
      ...body,
      action: { ...body.action, type },
    });
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
    return response.body.requestId as string;
  };
  return { tenant, stubs, submit };
}

async function expectRollupMatchesRequests(ctx: Parameters<typeof readRequestStats>[1]) {
  const [rollup, counted] = [
    await readRequestStats(db(), ctx, "rollup"),
    await readRequestStats(db(), ctx, "requests"),
  ];
  expect(rollup).toEqual(counted);
  return rollup;
}

describe("the overview's rollup (request_stats)", () => {
  it("equals a count over the requests after submits, decisions, expiries and cancels", async () => {
    const w = await world();
    const decided = await w.submit();
    const denied = await w.submit();
    const expiring = await w.submit();
    const cancelled = await w.submit();
    await w.submit(); // stays pending
    await w.submit("instant"); // decided in the submit answer
    await w.submit("auto.approve"); // decided by routing
    await w.submit("down"); // every authorizer down: fail closed
    await drainJobs(db());
    expect(await expectRollupMatchesRequests(w.tenant.ctx)).toEqual(
      expect.arrayContaining([expect.objectContaining({ status: "pending", requests: 5 })]),
    );

    w.stubs.reviewing!.decide(decided, "approved");
    await w.stubs.reviewing!.callBack(decided);
    await w.stubs.reviewing!.callBack(decided); // a duplicate changes nothing
    w.stubs.reviewing!.decide(denied, "denied");
    await w.stubs.reviewing!.callBack(denied);
    await db().execute(
      sql`update authorization_requests set expires_at = now() - interval '1 second' where request_id = ${expiring}`,
    );
    await expireOverdueRequests(db());
    await drainJobs(db());
    expect(
      (await api(appUrl(), w.tenant.apiKey, "POST", `/api/v1/authorization-requests/${cancelled}/cancel`)).status,
    ).toBe(200);
    await drainJobs(db());

    const rows = await expectRollupMatchesRequests(w.tenant.ctx);
    const total = (status: string) =>
      rows.filter((r) => r.status === status).reduce((sum, r) => sum + Number(r.requests), 0);
    expect({
      pending: total("pending"),
      approved: total("approved"),
      denied: total("denied"),
      expired: total("expired"),
      cancelled: total("cancelled"),
    }).toEqual({ pending: 1, approved: 3, denied: 2, expired: 1, cancelled: 1 });
    // Rebuilding from the requests (the migration's backfill, the bench's seed) gives the same rows.
    await rebuildRequestStats(db(), w.tenant.ctx);
    expect(await readRequestStats(db(), w.tenant.ctx, "rollup")).toEqual(rows);

    const overview = await getOverviewStats(db(), w.tenant.ctx);
    expect(overview.last24h).toEqual({ pending: 1, approved: 3, denied: 2, expired: 1, cancelled: 1 });
    expect(overview.last7d).toEqual(overview.last24h);
    expect(overview.daily.reduce((sum, d) => sum + d.count, 0)).toBe(8);
    // Every authorizer is listed; the one that never answered shows no decisions (and no latency).
    expect(overview.latency.map((l) => [l.authorizer, l.decisions])).toEqual([
      ["down", 0],
      ["instant", 1],
      ["reviewing", 2],
    ]);
    expect(overview.latency.find((l) => l.authorizer === "down")).toMatchObject({ p50Ms: null, p95Ms: null });
  });

  it("counts fail-open approvals, and keeps each tenant's rows apart", async () => {
    const open = await world("fail_open");
    const other = await world();
    await open.submit("down");
    await other.submit();
    await drainJobs(db());
    const rows = await expectRollupMatchesRequests(open.tenant.ctx);
    expect(rows).toEqual([expect.objectContaining({ status: "approved", requests: 1, fail_open: 1 })]);
    expect((await getOverviewStats(db(), open.tenant.ctx)).failOpen.total).toBe(1);
    expect(await expectRollupMatchesRequests(other.tenant.ctx)).toEqual([
      expect.objectContaining({ status: "pending", requests: 1 }),
    ]);
  });

  it("counts a window exactly, not rounded to the hour: the first hour of the window is read from the requests", async () => {
    const w = await world();
    const inside = await w.submit();
    const outside = await w.submit();
    // Move both back in time, 23 h 30 min and 24 h 30 min, and rebuild the rollup to match.
    await db().execute(
      sql`update authorization_requests set created_at = now() - interval '23 hours 30 minutes' where request_id = ${inside}`,
    );
    await db().execute(
      sql`update authorization_requests set created_at = now() - interval '24 hours 30 minutes' where request_id = ${outside}`,
    );
    await rebuildRequestStats(db(), w.tenant.ctx);
    const overview = await getOverviewStats(db(), w.tenant.ctx);
    expect(overview.last24h.pending).toBe(1);
    expect(overview.last7d.pending).toBe(2);
  });
});
