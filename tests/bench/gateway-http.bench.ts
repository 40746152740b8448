/**
 * Gateway HTTP benchmark: a production build (`next start`) on real PostgreSQL with an instant
 * local authorizer. Submit throughput and latency at 50 concurrent clients beside the framework
 * floor (a route that only parses the same body and signs once), and decision callbacks with
 * duplicates. Needs `npm run build` and a PostgreSQL server (BENCH_DATABASE_URL, or the local one).
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { sql } from "drizzle-orm";
import pg from "pg";
import { Agent, request } from "undici";
import { createDatabase } from "../../db/client";
import { runMigrations } from "../../db/migrate";
import { createGatewayTenant, wipeRequest } from "../setup/gateway";
import { startStubAuthorizer } from "../setup/stub-authorizer";

const CONCURRENCY = 50;
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1000;
// Floor and submit alternate this many times and the median round is reported: on a shared machine
// one measurement can be off by a third, and the ratio of neighbouring measurements is steadier.
const ROUNDS = 3;

interface LoadResult { requests: number; perSecond: number; p50: number; p99: number; errors: number; statuses: Record<number, number> }

async function load(url: string, headers: Record<string, string>, body: () => string, durationMs: number): Promise<LoadResult> {
  const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const response = await request(url, { method: "POST", dispatcher: agent, headers: { "content-type": "application/json", ...headers }, body: body() });
        await response.body.dump();
        statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
        latencies.push(performance.now() - t0);
      } catch {
        errors += 1;
      }
    }
  }));
  const elapsed = performance.now() - started;
  await agent.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { requests: latencies.length, perSecond: (latencies.length / elapsed) * 1000, p50: pct(50), p99: pct(99), errors, statuses };
}

/** CPU time (ms) a process has used, from /proc (Linux); null elsewhere. */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return null;
  }
}

/** CPU used so far by each local PostgreSQL process (server, backends, WAL writer, autovacuum), by pid. */
function postgresCpuMs(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0")[0] ?? "";
      if (command.startsWith("postgres") || command.endsWith("/postgres")) byPid.set(Number(entry), processCpuMs(Number(entry)) ?? 0);
    } catch {
      // The process ended meanwhile.
    }
  }
  return byPid;
}

/** CPU used so far by the server, the local PostgreSQL (when it is local) and this process (load + stub authorizers). */
function cpuSnapshot(serverPid: number, localPostgres: boolean) {
  const self = process.cpuUsage();
  return { server: processCpuMs(serverPid), postgres: localPostgres ? postgresCpuMs() : null, bench: (self.user + self.system) / 1000 };
}
type CpuSnapshot = ReturnType<typeof cpuSnapshot>;

/** Microseconds of CPU per request for each process group between two snapshots. */
function cpuPerRequest(before: CpuSnapshot, after: CpuSnapshot, requests: number) {
  const perRequest = (ms: number | null) => (ms === null || requests === 0 ? "—" : String(Math.round((ms * 1000) / requests)));
  const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
  // A Postgres process that started meanwhile counts whole; one that ended takes its share with it.
  const postgres = before.postgres && after.postgres && after.postgres.size > 0
    ? [...after.postgres].reduce((sum, [pid, ms]) => sum + ms - (before.postgres!.get(pid) ?? 0), 0)
    : null;
  return { server: perRequest(delta(before.server, after.server)), postgres: perRequest(postgres), bench: perRequest(delta(before.bench, after.bench)) };
}

async function benchDatabaseUrl(): Promise<string | null> {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres", connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    const name = `stepauth_bench_${Date.now()}`;
    await admin.query(`create database ${name}`);
    return `postgres://postgres@127.0.0.1:5432/${name}`;
  } catch {
    return null;
  } finally {
    await admin.end().catch(() => undefined);
  }
}

export async function runGatewayHttpBenchmarks(): Promise<void> {
  console.log("\nGateway HTTP benchmarks (next start, PostgreSQL, instant local authorizer, 50 concurrent clients)");
  if (!existsSync(".next/BUILD_ID")) return console.log("  skipped: run `npm run build` first");
  const databaseUrl = await benchDatabaseUrl();
  if (!databaseUrl) return console.log("  skipped: no PostgreSQL (set BENCH_DATABASE_URL or run one on 127.0.0.1:5432)");
  try {
    await runAgainst(databaseUrl);
  } finally {
    if (!process.env.BENCH_DATABASE_URL) await dropBenchDatabase(databaseUrl);
  }
}

/** The bench made its database: remove it, so runs do not pile up databases on the server. */
async function dropBenchDatabase(databaseUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres", connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query(`drop database if exists ${pg.escapeIdentifier(new URL(databaseUrl).pathname.slice(1))} with (force)`);
  } catch (error) {
    console.log(`  could not drop the bench database: ${error instanceof Error ? error.message : error}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

async function runAgainst(databaseUrl: string): Promise<void> {
  process.env.DATABASE_URL = databaseUrl;
  // The bench seals the tenant's key and the server opens it: both need the same encryption key.
  process.env.APP_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  const handle = createDatabase(databaseUrl);
  await runMigrations(handle);
  const port = await new Promise<number>((resolve) => { const s = createServer().listen(0, "127.0.0.1", () => { const p = (s.address() as AddressInfo).port; s.close(() => resolve(p)); }); });
  const appUrl = `http://127.0.0.1:${port}`;

  let instantKeys: any[] = [];
  const instant = await startStubAuthorizer({ mode: "approve", trustedSpKeys: () => instantKeys });
  let pendingKeys: any[] = [];
  const pending = await startStubAuthorizer({ mode: "pending", trustedSpKeys: () => pendingKeys });
  const submitTenant = await createGatewayTenant(handle.db, { appUrl, authorizers: [{ name: "instant", url: instant.url }] });
  instantKeys = await submitTenant.spKeys();
  const callbackTenant = await createGatewayTenant(handle.db, { appUrl, authorizers: [{ name: "reviewing", url: pending.url }] });
  pendingKeys = await callbackTenant.spKeys();

  // Options go on the command line, not in NODE_OPTIONS, which refuses --cpu-prof.
  const nodeOptions = (process.env.BENCH_SERVER_NODE_OPTIONS ?? "").split(/\s+/).filter(Boolean);
  const server = spawn(process.execPath, [...nodeOptions, "node_modules/next/dist/bin/next", "start", "--hostname", "127.0.0.1", "--port", String(port)], {
    env: { ...process.env, NODE_OPTIONS: "", NODE_ENV: "production", DATABASE_URL: databaseUrl, ALLOW_PRIVATE_NETWORK_URLS: "true", BENCH_FLOOR_ROUTE: "true", AUTH_SECRET: "bench-secret-0123456789abcdef0123456789", APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY, API_RATE_LIMIT_PER_SECOND: "1000000" },
    stdio: "ignore",
  });
  try {
    for (let i = 0; ; i += 1) {
      try { if ((await fetch(`${appUrl}/login`)).ok) break; } catch { /* starting */ }
      if (i > 200) throw new Error("next start did not come up");
      await new Promise((r) => setTimeout(r, 150));
    }
    const body = JSON.stringify(wipeRequest());
    const auth = { authorization: `Bearer ${submitTenant.apiKey}` };
    // Warm up both paths (JIT, connection pools), then alternate floor and submit and report the median round.
    await load(`${appUrl}/api/bench/floor`, auth, () => body, 1500);
    await load(`${appUrl}/api/v1/authorization-requests`, auth, () => body, 1500);
    const localPostgres = !process.env.BENCH_DATABASE_URL && existsSync("/proc/self/stat");
    const measure = async (path: string) => {
      const before = cpuSnapshot(server.pid!, localPostgres);
      const result = await load(`${appUrl}${path}`, auth, () => body, DURATION_MS / 2);
      return { result, cpu: cpuPerRequest(before, cpuSnapshot(server.pid!, localPostgres), result.requests) };
    };
    const rounds: { floor: Awaited<ReturnType<typeof measure>>; submit: Awaited<ReturnType<typeof measure>>; ratio: number }[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      const floorRound = await measure("/api/bench/floor");
      const submitRound = await measure("/api/v1/authorization-requests");
      rounds.push({ floor: floorRound, submit: submitRound, ratio: submitRound.result.perSecond / floorRound.result.perSecond });
    }
    const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(ROUNDS / 2)]!;
    const { floor, submit, ratio } = median;

    // Decision callbacks: 400 pending requests, each decision delivered 3 times (duplicates).
    const ids: string[] = [];
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let i = 0; i < 40; i += 1) {
        const r = await request(`${appUrl}/api/v1/authorization-requests`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${callbackTenant.apiKey}` }, body });
        ids.push(((await r.body.json()) as { requestId: string }).requestId);
      }
    }));
    const envelopes = ids.flatMap((id) => { const e = JSON.stringify(pending.decide(id, "approved")); return [e, e, e]; });
    let next = 0;
    const callbackUrl = `${appUrl}/api/stepauth/callback/${callbackTenant.authorizers.reviewing!.id}`;
    const callbacks = await load(callbackUrl, {}, () => envelopes[next++ % envelopes.length]!, DURATION_MS / 2);

    const row = (name: string, r: LoadResult, extra = "") => ({ path: name, "req/s": Math.round(r.perSecond), "p50 ms": r.p50.toFixed(1), "p99 ms": r.p99.toFixed(1), requests: r.requests, errors: r.errors, statuses: JSON.stringify(r.statuses), note: extra });
    console.table([
      row("framework floor (parse + sign once)", floor.result),
      row("POST /api/v1/authorization-requests", submit.result, `${ratio.toFixed(2)}× floor (target ≥ 0.50: ${ratio >= 0.5 ? "met" : "NOT met"})`),
      row("POST /api/stepauth/callback (3× duplicates)", callbacks, `${ids.length} requests, each decision sent 3×`),
    ]);
    console.log(`  submit ÷ floor in each of ${ROUNDS} alternating rounds: ${rounds.map((r) => r.ratio.toFixed(2)).join(", ")} (the table shows the median round)`);
    console.log("  CPU per request in the median round, µs (this machine's cores are shared by all three):");
    console.table([
      { path: "framework floor", server: floor.cpu.server, postgres: floor.cpu.postgres, "bench (load + stub authorizer)": floor.cpu.bench },
      { path: "submit", server: submit.cpu.server, postgres: submit.cpu.postgres, "bench (load + stub authorizer)": submit.cpu.bench },
    ]);
    const delivered = new Set(envelopes.slice(0, Math.min(next, envelopes.length))).size;
    const counted = await handle.db.execute(sql`select count(*)::int as n from authorization_requests where tenant_id = ${callbackTenant.tenantId} and status = 'approved'`);
    const approved = (counted as unknown as { rows: { n: number }[] }).rows[0]?.n;
    console.log(`  callbacks: ${next} deliveries of ${delivered} distinct decisions → ${approved} requests approved (each once; the rest answered as duplicates)`);
  } finally {
    server.kill("SIGTERM");
    await Promise.all([instant.close(), pending.close(), handle.close()]);
  }
}
