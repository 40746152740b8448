/**
 * Export memory: streams a CSV and a JSON Lines export of EXPORT_ROWS requests (default 1,000,000)
 * and EXPORT_EVENTS sealed timeline events from real PostgreSQL, and prints the process RSS before
 * and at its peak. `npx tsx tests/bench/export-memory.ts` (needs PostgreSQL on 127.0.0.1:5432).
 */
import { sql } from "drizzle-orm";
import pg from "pg";
import { createDatabase } from "../../db/client";
import { runMigrations } from "../../db/migrate";
import { exportRequests } from "../../lib/console/request-export";
import { createGatewayTenant } from "../setup/gateway";
import { sealTenant } from "../setup/audit-world";
import { resetConfigForTests } from "@/lib/config/env";

const ROWS = Number(process.env.EXPORT_ROWS ?? 1_000_000);
const EVENTS = Number(process.env.EXPORT_EVENTS ?? 200_000);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
await admin.connect();
const name = `stepauth_export_${Date.now()}`;
await admin.query(`create database ${name}`);
process.env.APP_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
// The app reads its configuration once (lib/config/env.ts): read it again after setting it here.
resetConfigForTests();
const handle = createDatabase(`postgres://postgres@127.0.0.1:5432/${name}`);
try {
  await runMigrations(handle);
  const db = handle.db;
  const tenant = await createGatewayTenant(db, {
    appUrl: "http://127.0.0.1:1",
    authorizers: [{ name: "default", url: "http://127.0.0.1:1" }],
  });
  let t0 = performance.now();
  await db.execute(sql`insert into authorization_requests (request_id, tenant_id, body_hash, status, principal, action, principal_type, action_type, summary, routing_targets, expires_at, created_at, decided_at, decision_key_id, decision_reason, decision_reviewers)
    select 'req_bulk' || lpad(i::text, 16, '0'), ${tenant.tenantId}, 'h', 'approved', '{"type":"human","attributes":[]}', '{"type":"x","summary":"s"}', 'human', 'device.wipe',
      'If approved, device ' || i || ' is wiped.', array['default'], now() + interval '1 hour', now() - make_interval(secs => i), now(), 'auth-key-2024', 'ok',
      '[{"type":"human","attributes":[{"key":"email","label":"Email","value":"r@x.example"},{"key":"reason","label":"Reason","value":"fine"}]}]'
    from generate_series(1, ${ROWS}) as i`);
  await db.execute(sql`insert into request_events (tenant_id, request_id, type, data)
    select ${tenant.tenantId}, 'req_bulk' || lpad(((i % ${ROWS}) + 1)::text, 16, '0'), 'decision_accepted', jsonb_build_object('decision', 'approved', 'n', i)
    from generate_series(1, ${EVENTS}) as i`);
  console.log(`seeded ${ROWS} requests and ${EVENTS} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await sealTenant(db, tenant.tenantId);
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `sealed ${EVENTS} events in ${((performance.now() - t0) / 1000).toFixed(1)} s; gateway-process CPU ${((cpu.user + cpu.system) / EVENTS).toFixed(1)} µs per entry`,
  );

  for (const format of ["csv", "jsonl"] as const) {
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let bytes = 0;
    let lines = 0;
    t0 = performance.now();
    const reader = (await exportRequests(db, tenant.ctx, {}, format)).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const b of value) if (b === 10) lines += 1;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    console.log(
      `${format}: ${lines} lines, ${mb(bytes)} in ${((performance.now() - t0) / 1000).toFixed(1)} s; RSS before ${mb(before)}, peak ${mb(peak)} (+${mb(peak - before)})`,
    );
  }
} finally {
  await handle.close().catch(() => undefined);
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
