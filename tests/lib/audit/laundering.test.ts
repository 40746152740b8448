import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import * as auditVerify from "@/app/api/v1/audit/verify/route";
import * as settingsRoute from "@/app/api/v1/settings/route";
import { recordRefusedCallback } from "@/db/queries/audit";
import { claimDueJobs } from "@/db/queries/system/jobs";
import { sealJobKey } from "@/db/queries/system/audit-seal-jobs";
import { enqueueDuePurgeJobs, purgeJobKey } from "@/db/queries/system/retention-jobs";
import { verifyExportLines } from "@/lib/audit-chain";
import { exportRequests } from "@/lib/console/request-export";
import { runJob } from "@/lib/jobs/job-runner";
import { auditWorld, deleteRequestWithTimeline, sealTenant } from "../../setup/audit-world";
import { setupTestDatabase } from "../../setup/database";
import { api, drainJobs, setupAppServer, wipeRequest } from "../../setup/gateway";

// Tampering that dresses itself up as legitimate history: fake purge records, a second final
// event beside the real one, and the writes of the product itself that must never touch sealed rows.

const db = setupTestDatabase();
const appUrl = setupAppServer({ "/api/v1/audit/verify": auditVerify, "/api/v1/settings": settingsRoute });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

type Rows<T> = { rows: T[] };
const rows = async <T>(statement: ReturnType<typeof sql>) =>
  ((await db().execute(statement)) as unknown as Rows<T>).rows;

async function world(count = 3) {
  const w = await auditWorld(db(), appUrl(), count);
  cleanups.push(w.close);
  await sealTenant(db(), w.tenant.tenantId);
  const verify = async (query = "") =>
    (await api(appUrl(), w.tenant.apiKey, "GET", `/api/v1/audit/verify${query}`)).body;
  return { ...w, verify };
}

async function purge(tenantId: string) {
  await enqueueDuePurgeJobs(db());
  const [job] = await claimDueJobs(db(), 1, { seconds: 30 }, { requestId: purgeJobKey(tenantId), kinds: ["purge"] });
  if (job) await runJob(db(), job);
}

/** Deletes a sealed request and leaves tombstones plus a purge record that counts them, as an intruder would. */
async function fakePurge(tenantId: string, requestId: string) {
  const kept = await rows<{
    entry_id: string;
  }>(sql`insert into audit_purged_entries (entry_id, tenant_id, checkpoint_seq, hash)
    select id, tenant_id, checkpoint_seq, hash from request_events where request_id = ${requestId} returning entry_id::text`);
  await db().execute(deleteRequestWithTimeline(requestId));
  await db().execute(sql`insert into audit_events (tenant_id, actor, action, target, data)
    values (${tenantId}, 'system', 'audit.purged', 'requests', ${JSON.stringify({ retentionDays: 1, requests: 1, entries: kept.length })}::jsonb)`);
  return kept.length;
}

describe("a deletion dressed up as a retention purge", () => {
  it("is named while its purge record is unsealed, after the record is sealed, and by a ranged verify", async () => {
    const w = await world(3);
    await fakePurge(w.tenant.tenantId, w.requestIds[1]!);
    expect(await w.verify()).toMatchObject({
      ok: false,
      firstFailure: { id: "checkpoint:1", why: expect.stringContaining("purge") },
    });
    // Sealed, the forged record is named: it claims no checkpoint's leaves (and could not be past retention).
    await sealTenant(db(), w.tenant.tenantId);
    expect(await w.verify()).toMatchObject({
      ok: false,
      firstFailure: { kind: "audit_event", why: expect.stringContaining("purge record") },
    });
  });

  it("is named by a verify whose range starts after the first checkpoint", async () => {
    const w = await world(1);
    // A later request, sealed by checkpoint 2, is deleted with a forged purge record.
    const later = await api(
      appUrl(),
      w.tenant.apiKey,
      "POST",
      "/api/v1/authorization-requests",
      wipeRequest({ externalId: "later" }),
    );
    expect(later.status).toBeLessThan(300);
    await drainJobs(db());
    await sealTenant(db(), w.tenant.tenantId);
    const [cp] = await rows<{ at: string }>(
      sql`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at from audit_checkpoints where tenant_id = ${w.tenant.tenantId} and seq = 1`,
    );
    const from = encodeURIComponent(new Date(Date.parse(cp!.at) + 1).toISOString());
    expect(await w.verify(`?from=${from}`)).toMatchObject({ ok: true, checkpointsChecked: 1 });
    await fakePurge(w.tenant.tenantId, later.body.requestId as string);
    expect(await w.verify(`?from=${from}`)).toMatchObject({
      ok: false,
      firstFailure: { id: "checkpoint:2", why: expect.stringContaining("purge") },
    });
  });

  it("a real purge verifies in full and in a range that ends before the checkpoint sealing its record", async () => {
    const w = await world(2);
    await db()
      .execute(sql`update authorization_requests set created_at = now() - interval '3 days', decided_at = now() - interval '3 days',
      execution_closes_at = now() - interval '3 days' where request_id = ${w.requestIds[0]}`);
    expect((await api(appUrl(), w.tenant.apiKey, "PUT", "/api/v1/settings", { retentionDays: 2 })).status).toBe(200);
    await purge(w.tenant.tenantId);
    expect(await rows(sql`select 1 from authorization_requests where request_id = ${w.requestIds[0]}`)).toHaveLength(0);
    // The purge queues its tenant's seal at once, so the window in which nothing vouches for it is short.
    expect(
      await rows(sql`select 1 from jobs where kind = 'seal' and request_id = ${sealJobKey(w.tenant.tenantId)}`),
    ).toHaveLength(1);
    // Until its record is sealed nothing vouches for the purge.
    expect(await w.verify()).toMatchObject({
      ok: false,
      firstFailure: { id: "checkpoint:1", why: expect.stringContaining("not sealed") },
    });
    await sealTenant(db(), w.tenant.tenantId);
    const full = await w.verify();
    expect(full).toMatchObject({ ok: true, checkpointsChecked: 2 });
    expect(full.purgedEntries).toBeGreaterThan(2);
    const [record] = await rows<{ data: { checkpoints: Record<string, number>; entries: number } }>(
      sql`select data from audit_events where tenant_id = ${w.tenant.tenantId} and action = 'audit.purged'`,
    );
    expect(record!.data.checkpoints).toEqual({ "1": full.purgedEntries });
    // Only checkpoint 1 in range: its purge record (sealed by checkpoint 2) is brought in and checked.
    const [cp] = await rows<{ at: string }>(
      sql`select created_at::text as at from audit_checkpoints where tenant_id = ${w.tenant.tenantId} and seq = 1`,
    );
    const ranged = await w.verify(`?to=${encodeURIComponent(new Date(cp!.at).toISOString())}`);
    expect(ranged).toMatchObject({ ok: true, checkpointsChecked: 1, purgedEntries: full.purgedEntries });

    // The offline verifier, on the same export: whole, and ranged (the export carries checkpoint 2 for the purge record).
    const offline = async (filters: { to?: Date }) =>
      verifyExportLines(
        (await new Response(await exportRequests(db(), w.tenant.ctx, filters, "jsonl")).text())
          .split("\n")
          [Symbol.iterator]() as unknown as AsyncIterable<string>,
        [{ publicKey: key }],
      );
    const [{ public_key: key }] = (await rows<{ public_key: string }>(
      sql`select public_key from signing_keys where tenant_id = ${w.tenant.tenantId}`,
    )) as [{ public_key: string }];
    expect(await offline({})).toMatchObject({ ok: true, checkpointsChecked: 2, purgedEntries: full.purgedEntries });
    expect(await offline({ to: new Date(cp!.at) })).toMatchObject({
      ok: true,
      checkpointsChecked: 1,
      purgedEntries: full.purgedEntries,
    });
    // A forged deletion of the other request, exported: named offline too.
    await fakePurge(w.tenant.tenantId, w.requestIds[1]!);
    await sealTenant(db(), w.tenant.tenantId);
    expect(await offline({})).toMatchObject({ ok: false, firstFailure: { why: expect.stringContaining("purge") } });
  });
});

describe("a status edit laundered with a second final event", () => {
  it("names the request whose sealed timeline holds two final events", async () => {
    const w = await world(2);
    const target = w.requestIds[1]!;
    const [row] = await rows<{ decision_authorizer_id: string; decision_key_id: string }>(
      sql`select decision_authorizer_id, decision_key_id from authorization_requests where request_id = ${target}`,
    );
    // The row flipped, and a matching decision event added for the next seal to seal.
    await db().execute(sql`update authorization_requests set status = 'denied' where request_id = ${target}`);
    await db().execute(sql`insert into request_events (tenant_id, request_id, type, authorizer_id, data)
      values (${w.tenant.tenantId}, ${target}, 'decision_accepted', ${row!.decision_authorizer_id}, ${JSON.stringify({ decision: "denied", keyId: row!.decision_key_id })}::jsonb)`);
    await sealTenant(db(), w.tenant.tenantId);
    expect(await w.verify()).toMatchObject({
      ok: false,
      firstFailure: { id: target, kind: "request", why: expect.stringContaining("final events") },
    });
  });
});

describe("retention never purges an approval that may still execute", () => {
  it("keeps an open execution window and an execution in flight, purges the settled one", async () => {
    const w = await world(3);
    const [open, inFlight, settled] = w.requestIds as [string, string, string];
    await db()
      .execute(sql`update authorization_requests set created_at = now() - interval '3 days', decided_at = now() - interval '3 days',
      execution_closes_at = now() - interval '3 days' where request_id in (${open}, ${inFlight}, ${settled})`);
    await db().execute(
      sql`update authorization_requests set execution_closes_at = now() + interval '1 hour' where request_id = ${open}`,
    );
    await db().execute(
      sql`update executions set status = 'executing', finished_at = null where request_id = ${inFlight}`,
    );
    expect((await api(appUrl(), w.tenant.apiKey, "PUT", "/api/v1/settings", { retentionDays: 2 })).status).toBe(200);
    await purge(w.tenant.tenantId);
    const left = (
      await rows<{ request_id: string }>(
        sql`select request_id from authorization_requests where tenant_id = ${w.tenant.tenantId}`,
      )
    ).map((r) => r.request_id);
    expect(left.sort()).toEqual([open, inFlight].sort());
  });
});

describe("refused-callback summaries never touch a sealed row", () => {
  it("starts a new summary row when its minute's row is already sealed (a lagging clock)", async () => {
    const w = await world(0);
    const [authorizer] = await rows<{ id: string; name: string }>(
      sql`select id, name from authorizers where tenant_id = ${w.tenant.tenantId} limit 1`,
    );
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000);
    await recordRefusedCallback(db(), w.tenant.ctx, authorizer!, "bad_signature", minute);
    await db().execute(
      sql`update audit_events set created_at = now() - interval '10 minutes' where tenant_id = ${w.tenant.tenantId} and action = 'callback.refused'`,
    );
    await sealTenant(db(), w.tenant.tenantId);
    expect(await w.verify()).toMatchObject({ ok: true, unsealedEntries: 0 });
    await recordRefusedCallback(db(), w.tenant.ctx, authorizer!, "malformed", new Date(minute.getTime() + 5_000));
    await recordRefusedCallback(db(), w.tenant.ctx, authorizer!, "malformed", new Date(minute.getTime() + 6_000));
    expect(await w.verify()).toMatchObject({ ok: true, unsealedEntries: 1 });
    const summaries = await rows<{
      count: number;
      sealed: boolean;
    }>(sql`select (data->>'count')::int as count, checkpoint_seq is not null as sealed
      from audit_events where tenant_id = ${w.tenant.tenantId} and action = 'callback.refused' order by created_at`);
    expect(summaries).toEqual([
      { count: 1, sealed: true },
      { count: 2, sealed: false },
    ]);
  });
});

describe("the export reads only its own tenant's rows", () => {
  it("names no other tenant's authorizer and shows no other tenant's execution, even when a row points at them", async () => {
    const a = await world(1);
    const b = await world(1);
    const [other] = await rows<{ id: string }>(
      sql`update authorizers set name = 'other-tenant' where tenant_id = ${b.tenant.tenantId} returning id`,
    );
    // Rows that point across tenants (a bad restore, a bad hand edit): the tenant condition keeps them out.
    await db().execute(
      sql`update authorization_requests set decision_authorizer_id = ${other!.id} where request_id = ${a.requestIds[0]}`,
    );
    await db().execute(
      sql`update executions set tenant_id = ${b.tenant.tenantId} where request_id = ${a.requestIds[0]}`,
    );
    const text = await new Response(await exportRequests(db(), a.tenant.ctx, {}, "jsonl")).text();
    const record = JSON.parse(text.split("\n").find((l) => l.startsWith('{"t":"request"'))!);
    expect(record).toMatchObject({ requestId: a.requestIds[0], decidingAuthorizer: null, executionStatus: null });
    expect(text).not.toContain("other-tenant");
  });
});

describe("the execution row against its sealed timeline", () => {
  it("names an execution whose result was edited, or whose row was deleted, online and offline", async () => {
    const w = await world(2);
    const [{ public_key: key }] = (await rows<{ public_key: string }>(
      sql`select public_key from signing_keys where tenant_id = ${w.tenant.tenantId}`,
    )) as [{ public_key: string }];
    const offline = async () =>
      verifyExportLines(
        (await new Response(await exportRequests(db(), w.tenant.ctx, {}, "jsonl")).text())
          .split("\n")
          [Symbol.iterator]() as unknown as AsyncIterable<string>,
        [{ publicKey: key }],
      );
    expect(await w.verify()).toMatchObject({ ok: true });
    expect(await offline()).toMatchObject({ ok: true });
    // The service reported success; the row now says it failed.
    await db().execute(
      sql`update executions set status = 'failed', error = 'edited' where request_id = ${w.requestIds[0]}`,
    );
    expect(await w.verify()).toMatchObject({
      ok: false,
      firstFailure: { id: w.requestIds[0], kind: "request", why: expect.stringContaining("execution") },
    });
    expect(await offline()).toMatchObject({
      ok: false,
      firstFailure: { id: w.requestIds[0], kind: "request", why: expect.stringContaining("execution") },
    });
    await db().execute(sql`delete from executions where request_id = ${w.requestIds[0]}`);
    expect(await w.verify()).toMatchObject({
      ok: false,
      firstFailure: { id: w.requestIds[0], kind: "request", why: expect.stringContaining("execution") },
    });
  });
});
