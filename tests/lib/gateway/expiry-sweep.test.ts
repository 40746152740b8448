import { randomBytes } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { expireOverdueRequests } from "@/lib/gateway/expiry";
import { queryRows, setupTestDatabase } from "../../setup/database";
import { api, createGatewayTenant, setupAppServer, wipeRequest } from "../../setup/gateway";
import { startStubAuthorizer } from "../../setup/stub-authorizer";
import { startStubService } from "../../setup/stub-service";

// Expiry is a sweep over pending requests past their expiresAt (lib/gateway/expiry.ts), not a job
// per request: nothing but the request row itself needs to exist for it to end in time.
const db = setupTestDatabase();
const appUrl = setupAppServer();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const rows = <T>(query: SQL) => queryRows<T>(db(), query);

async function world() {
  let keys: any[] = [];
  const stub = await startStubAuthorizer({ mode: "pending", trustedSpKeys: () => keys });
  cleanups.push(stub.close);
  let secret = "";
  const service = await startStubService(() => secret);
  cleanups.push(service.close);
  const tenant = await createGatewayTenant(db(), {
    appUrl: appUrl(),
    authorizers: [{ name: "reviewing", url: stub.url }],
    webhookUrl: service.url,
  });
  secret = tenant.webhookSecret;
  keys = await tenant.spKeys();
  const submit = async () => {
    const answer = await api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest());
    expect(answer.status).toBe(202);
    return answer.body.requestId as string;
  };
  const get = async (id: string) =>
    (await api(appUrl(), tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}`)).body;
  return { stub, service, tenant, submit, get };
}

const overdue = (ids: string[]) =>
  db().execute(
    sql`update authorization_requests set expires_at = now() - interval '1 second' where request_id in ${ids}`,
  );

describe("the expiry sweep", () => {
  it("ends a request past expiresAt that has no job at all, and tells the service", async () => {
    const w = await world();
    const id = await w.submit();
    // As if the process died right after recording it: no submit, poll or any other job is left.
    await db().execute(sql`delete from jobs where request_id = ${id}`);
    await overdue([id]);
    expect(await expireOverdueRequests(db())).toBeGreaterThanOrEqual(1);
    const view = await w.get(id);
    expect(view).toMatchObject({ status: "expired", statusReason: "expired", failOpen: false });
    expect(view.events.map((e: { type: string }) => e.type)).toContain("expired");
    expect(w.service.state.deliveries.map((d) => d.body.data)).toEqual([
      expect.objectContaining({ requestId: id, status: "expired", execute: false }),
    ]);
    // A decision arriving late is refused as expired and executes nothing.
    w.stub.decide(id, "approved");
    expect(await w.stub.callBack(id)).toMatchObject({ status: 409, body: { error: "request_expired" } });
    expect(w.service.state.executions.size).toBe(0);
  });

  it("leaves a request that is not due yet, and one a decision already ended", async () => {
    const w = await world();
    const [notDue, decided] = [await w.submit(), await w.submit()];
    w.stub.decide(decided, "approved");
    expect((await w.stub.callBack(decided)).status).toBe(200);
    await overdue([decided]);
    await expireOverdueRequests(db());
    expect((await w.get(notDue)).status).toBe("pending");
    expect(await w.get(decided)).toMatchObject({ status: "approved", execution: { state: "succeeded" } });
  });

  it("serves every tenant in turn: one tenant's backlog does not hold back another's expiry", async () => {
    const busy = await world();
    const quiet = await world();
    const backlog = [];
    for (let i = 0; i < 12; i += 1) backlog.push(await busy.submit());
    await overdue(backlog);
    // The quiet tenant's request is the most recently overdue of all.
    const late = await quiet.submit();
    await db().execute(sql`update authorization_requests set expires_at = now() where request_id = ${late}`);
    // Room for each tenant's first (a database shared with other test files may hold other tenants' too) and one more.
    const [overdueTenants] = await rows<{ tenants: number }>(
      sql`select count(distinct tenant_id)::int as tenants from authorization_requests
          where decided_at is null and status = 'pending' and expires_at <= now()`,
    );
    const tenants = overdueTenants!.tenants;
    // One batch only (no budget for a second).
    expect(await expireOverdueRequests(db(), { limit: tenants + 1, budgetMs: 0 })).toBeGreaterThanOrEqual(1);
    expect((await quiet.get(late)).status).toBe("expired");
    const [backlogEnded] = await rows<{ ended: number }>(
      sql`select count(*)::int as ended from authorization_requests where request_id in ${backlog} and status = 'expired'`,
    );
    expect(backlogEnded!.ended).toBeLessThanOrEqual(2);
  });

  it("drains a backlog larger than one batch in one sweep, within its time budget", async () => {
    const w = await world();
    const ids = [];
    for (let i = 0; i < 7; i += 1) ids.push(await w.submit());
    await overdue(ids);
    await expireOverdueRequests(db(), { limit: 3 });
    const statuses = await rows<{ status: string }>(
      sql`select status from authorization_requests where request_id in ${ids}`,
    );
    expect(statuses.map((r) => r.status)).toEqual(Array(7).fill("expired"));
    expect(w.service.state.deliveries).toHaveLength(7);
  });

  it("ends the others when one request's write fails, and that one at a later sweep", async () => {
    const w = await world();
    const [failing, fine] = [await w.submit(), await w.submit()];
    await overdue([failing, fine]);
    // A write that fails for one request only (a trigger on this test's request; dropped below).
    const trigger = `expiry_fails_${randomBytes(6).toString("hex")}`;
    await db().execute(
      sql.raw(`create function ${trigger}() returns trigger language plpgsql as $$
        begin if new.request_id = '${failing}' then raise exception 'injected failure'; end if; return new; end $$`),
    );
    await db().execute(
      sql.raw(
        `create trigger ${trigger} before update on authorization_requests for each row execute function ${trigger}()`,
      ),
    );
    try {
      await expireOverdueRequests(db(), { budgetMs: 0 });
    } finally {
      await db().execute(sql.raw(`drop trigger ${trigger} on authorization_requests`));
      await db().execute(sql.raw(`drop function ${trigger}()`));
    }
    expect((await w.get(fine)).status).toBe("expired");
    expect((await w.get(failing)).status).toBe("pending");
    await expireOverdueRequests(db());
    expect((await w.get(failing)).status).toBe("expired");
  });

  it("ends each request once, however many sweeps run at once", async () => {
    const w = await world();
    const ids = [];
    for (let i = 0; i < 6; i += 1) ids.push(await w.submit());
    await overdue(ids);
    await Promise.all([1, 2, 3, 4].map(() => expireOverdueRequests(db())));
    const statuses = await rows<{ status: string }>(
      sql`select status from authorization_requests where request_id in ${ids}`,
    );
    expect(statuses.map((r) => r.status)).toEqual(Array(6).fill("expired"));
    const events = await rows<{ request_id: string; count: number }>(
      sql`select request_id, count(*)::int as count from request_events where request_id in ${ids} and type = 'expired' group by request_id`,
    );
    expect(events).toHaveLength(6);
    expect(events.every((e) => e.count === 1)).toBe(true);
    expect(w.service.state.deliveries).toHaveLength(6);
    const [stats] = await rows<{ expired: number; pending: number }>(
      sql`select coalesce(sum(requests) filter (where status = 'expired'), 0)::int as expired,
            coalesce(sum(requests) filter (where status = 'pending'), 0)::int as pending
          from request_stats where tenant_id = ${w.tenant.tenantId}`,
    );
    expect(stats).toEqual({ expired: 6, pending: 0 });
  });
});
