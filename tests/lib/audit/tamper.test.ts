import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import * as auditVerify from "@/app/api/v1/audit/verify/route";
import { recordAuditEvent } from "@/db/queries/audit";
import { hashEntry } from "@/lib/audit-chain";
import { auditWorld, deleteRequestWithTimeline, sealTenant } from "../../setup/audit-world";
import { setupTestDatabase } from "../../setup/database";
import { api, setupAppServer } from "../../setup/gateway";

const db = setupTestDatabase();
const appUrl = setupAppServer({ "/api/v1/audit/verify": auditVerify });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function sealedWorld(count = 3) {
  const world = await auditWorld(db(), appUrl(), count);
  cleanups.push(world.close);
  await recordAuditEvent(db(), world.tenant.ctx, {
    action: "settings.updated",
    target: "routing",
    data: { note: "=cmd" },
  });
  await sealTenant(db(), world.tenant.tenantId);
  const verify = async (query = "") =>
    (await api(appUrl(), world.tenant.apiKey, "GET", `/api/v1/audit/verify${query}`)).body;
  return { ...world, verify, run: (statement: ReturnType<typeof sql>) => db().execute(statement) };
}

describe("tamper evidence: verify names the first broken entry", () => {
  it("verifies an untouched trail: every request and configuration event sealed by a signed checkpoint", async () => {
    const w = await sealedWorld();
    const events = await w.events();
    const report = await w.verify();
    expect(report).toMatchObject({ ok: true, checkpointsChecked: 1, unsealedEntries: 0 });
    expect(report.entriesChecked).toBeGreaterThan(events.length); // plus the configuration events
    expect(report.firstFailure).toBeUndefined();
  });

  it("names an edited request event (a denial edited in, say)", async () => {
    const w = await sealedWorld();
    const target = (await w.events()).find((e) => e.type === "decision_accepted")!;
    await w.run(
      sql`update request_events set data = jsonb_set(coalesce(data, '{}'), '{decision}', '"denied"') where id = ${target.id}::bigint`,
    );
    expect(await w.verify()).toMatchObject({
      ok: false,
      firstFailure: { id: target.id, kind: "request_event", why: expect.stringContaining("edited") },
    });
  });

  it("names the entry after a deleted one in the same request", async () => {
    const w = await sealedWorld();
    const events = await w.events();
    const ofFirst = events.filter((e) => e.request_id === w.requestIds[0]);
    await w.run(sql`delete from request_events where id = ${ofFirst[1]!.id}::bigint`);
    expect(await w.verify()).toMatchObject({
      ok: false,
      firstFailure: { id: ofFirst[2]!.id, kind: "request_event", why: expect.stringContaining("removed") },
    });
  });

  it("names a forged event inserted with a correct-looking hash", async () => {
    const w = await sealedWorld();
    const events = await w.events();
    const first = events.find((e) => e.request_id === w.requestIds[0])!;
    const [head] = (
      (await w.run(sql`select hash from request_events where id = ${first.id}::bigint`)) as unknown as {
        rows: { hash: string }[];
      }
    ).rows;
    const inserted = (
      (await w.run(sql`insert into request_events (tenant_id, request_id, type, data, checkpoint_seq, prev_hash)
      values (${w.tenant.tenantId}, ${w.requestIds[0]}, 'decision_accepted', '{"decision":"approved"}', 1, ${head!.hash}) returning id::text as id,
      to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at`)) as unknown as {
        rows: { id: string; at: string }[];
      }
    ).rows[0]!;
    const hash = hashEntry(
      {
        kind: "request_event",
        id: inserted.id,
        tenantId: w.tenant.tenantId,
        requestId: w.requestIds[0],
        type: "decision_accepted",
        authorizerId: null,
        data: { decision: "approved" },
        createdAt: inserted.at,
        prevHash: head!.hash,
        hash: null,
        checkpointSeq: 1,
      },
      head!.hash,
    );
    await w.run(sql`update request_events set hash = ${hash} where id = ${inserted.id}::bigint`);
    expect(await w.verify()).toMatchObject({ ok: false, firstFailure: { id: inserted.id, kind: "request_event" } });
  });

  it("names reordered events (two events' contents swapped)", async () => {
    const w = await sealedWorld();
    const ofFirst = (await w.events()).filter((e) => e.request_id === w.requestIds[0]);
    const [a, b] = [ofFirst[1]!.id, ofFirst[2]!.id];
    await w.run(sql`update request_events r set type = o.type, data = o.data, authorizer_id = o.authorizer_id
      from (select id, type, data, authorizer_id from request_events where id in (${a}::bigint, ${b}::bigint)) o
      where r.id in (${a}::bigint, ${b}::bigint) and o.id <> r.id`);
    expect(await w.verify()).toMatchObject({ ok: false, firstFailure: { id: a, kind: "request_event" } });
  });

  it("names a request row whose status was edited against its sealed timeline (a denial turned approval)", async () => {
    const w = await sealedWorld();
    expect(await w.verify()).toMatchObject({ ok: true });
    await w.run(sql`update authorization_requests set status = 'denied' where request_id = ${w.requestIds[1]}`);
    expect(await w.verify()).toMatchObject({
      ok: false,
      firstFailure: { id: w.requestIds[1], kind: "request", why: expect.stringContaining("row edited") },
    });
    await w.run(
      sql`update authorization_requests set status = 'approved', decision_key_id = 'forged-key' where request_id = ${w.requestIds[1]}`,
    );
    expect(await w.verify()).toMatchObject({ ok: false, firstFailure: { id: w.requestIds[1], kind: "request" } });
  });

  // Since 0017 nothing cascades from the request row to its timeline: a row deleted alone leaves its
  // sealed events behind, whose chain still verifies. The request they belong to must exist.
  it("names the request whose row alone was deleted, its sealed timeline left behind", async () => {
    const w = await sealedWorld();
    await w.run(sql`delete from authorization_requests where request_id = ${w.requestIds[1]}`);
    expect(await w.verify()).toMatchObject({
      ok: false,
      firstFailure: { id: w.requestIds[1], kind: "request", why: expect.stringContaining("row deleted") },
    });
  });

  it("names the checkpoint when a whole request is deleted with its events", async () => {
    const w = await sealedWorld();
    await w.run(deleteRequestWithTimeline(w.requestIds[1]!));
    expect(await w.verify()).toMatchObject({
      ok: false,
      firstFailure: { id: "checkpoint:1", kind: "checkpoint", why: expect.stringContaining("deleted") },
    });
  });

  it("names an edited configuration audit event", async () => {
    const w = await sealedWorld();
    const [row] = (
      (await w.run(
        sql`select id::text as id from audit_events where tenant_id = ${w.tenant.tenantId} and action = 'settings.updated'`,
      )) as unknown as { rows: { id: string }[] }
    ).rows;
    await w.run(sql`update audit_events set actor = 'user:someone-else' where id = ${row!.id}::uuid`);
    expect(await w.verify()).toMatchObject({
      ok: false,
      firstFailure: { id: row!.id, kind: "audit_event", why: expect.stringContaining("edited") },
    });
  });

  it("names a checkpoint whose signed body was altered, and one removed from the middle", async () => {
    const w = await sealedWorld(1);
    await recordAuditEvent(db(), w.tenant.ctx, { action: "settings.updated", target: "second" });
    await sealTenant(db(), w.tenant.tenantId);
    await recordAuditEvent(db(), w.tenant.ctx, { action: "settings.updated", target: "third" });
    await sealTenant(db(), w.tenant.tenantId);
    expect(await w.verify()).toMatchObject({ ok: true, checkpointsChecked: 3 });
    await w.run(sql`delete from audit_checkpoints where tenant_id = ${w.tenant.tenantId} and seq = 2`);
    expect(await w.verify()).toMatchObject({
      ok: false,
      firstFailure: { id: "checkpoint:3", kind: "checkpoint", why: expect.stringContaining("expected checkpoint 2") },
    });
    await w.run(
      sql`update audit_checkpoints set envelope = jsonb_set(envelope, '{payload}', to_jsonb(encode(convert_to('{"v":1}', 'UTF8'), 'base64'))) where tenant_id = ${w.tenant.tenantId} and seq = 1`,
    );
    expect(await w.verify()).toMatchObject({
      ok: false,
      firstFailure: { id: "checkpoint:1", kind: "checkpoint", why: expect.stringContaining("signature") },
    });
  });

  it("seals what was written after a checkpoint into the next one, and refuses bad ranges with 400", async () => {
    const w = await sealedWorld(1);
    await recordAuditEvent(db(), w.tenant.ctx, { action: "settings.updated", target: "later" });
    expect(await w.verify()).toMatchObject({ ok: true, unsealedEntries: 1 });
    await sealTenant(db(), w.tenant.tenantId);
    expect(await w.verify()).toMatchObject({ ok: true, checkpointsChecked: 2, unsealedEntries: 0 });
    expect(await w.verify(`?from=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`)).toMatchObject({
      ok: true,
    });
    const bad = await api(appUrl(), w.tenant.apiKey, "GET", "/api/v1/audit/verify?from=yesterday");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("validation_failed");
  });
});
