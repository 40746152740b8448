/**
 * What the HTTP benchmarks are made of: a closed-loop load generator (undici, keep-alive), CPU per
 * request read from /proc, the throw-away bench database, and `next start` processes of the build.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import pg from "pg";
import { Agent, request } from "undici";
import type { DatabaseHandle } from "../../db/client";

export const CONCURRENCY = 50;

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  statuses: Record<number, number>;
}

/**
 * POSTs `body()` to `urls` from `concurrency` clients for `durationMs`, each client waiting for its
 * answer before it sends the next. Clients are spread round-robin over the URLs (several instances).
 */
export async function load(
  urls: string | string[],
  headers: Record<string, string>,
  body: () => string,
  durationMs: number,
  concurrency = CONCURRENCY,
): Promise<LoadResult> {
  const targets = Array.isArray(urls) ? urls : [urls];
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      const url = targets[client % targets.length]!;
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          const response = await request(url, {
            method: "POST",
            dispatcher: agent,
            headers: { "content-type": "application/json", ...headers },
            body: body(),
          });
          await response.body.dump();
          statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
          latencies.push(performance.now() - t0);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  await agent.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return {
    requests: latencies.length,
    perSecond: (latencies.length / elapsed) * 1000,
    p50: pct(50),
    p99: pct(99),
    errors,
    statuses,
  };
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

/**
 * The PostgreSQL backends serving the bench database (the servers' pools, warm by then). Only they
 * are counted: the PostgreSQL server may be shared (other databases, other users), and its shared
 * processes (WAL writer, checkpointer) cannot be told apart per database, so they are left out.
 */
export async function benchBackendPids(db: DatabaseHandle["db"]): Promise<number[] | null> {
  if (!localPostgres()) return null;
  const result = await db.execute(
    sql`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`,
  );
  return (result as unknown as { rows: { pid: number }[] }).rows.map((r) => Number(r.pid));
}

/** CPU used so far by the servers, the bench database's backends and this process (load + stubs). */
export function cpuSnapshot(serverPids: number[], postgresPids: number[] | null) {
  const self = process.cpuUsage();
  const sum = (pids: number[]) => {
    const each = pids.map(processCpuMs);
    return each.some((ms) => ms === null) ? null : each.reduce<number>((total, ms) => total + ms!, 0);
  };
  return {
    server: sum(serverPids),
    postgres: postgresPids ? new Map(postgresPids.map((pid) => [pid, processCpuMs(pid) ?? 0])) : null,
    bench: (self.user + self.system) / 1000,
  };
}
export type CpuSnapshot = ReturnType<typeof cpuSnapshot>;
export interface CpuPerRequest {
  server: number | null;
  postgres: number | null;
  bench: number | null;
}

/** Microseconds of CPU per request for each process group between two snapshots. */
export function cpuPerRequest(before: CpuSnapshot, after: CpuSnapshot, requests: number): CpuPerRequest {
  const perRequest = (ms: number | null) => (ms === null || requests === 0 ? null : Math.round((ms * 1000) / requests));
  const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
  // A backend that ended meanwhile takes its share with it.
  const postgres =
    before.postgres && after.postgres && after.postgres.size > 0
      ? [...after.postgres].reduce((sum, [pid, ms]) => sum + ms - (before.postgres!.get(pid) ?? 0), 0)
      : null;
  return {
    server: perRequest(delta(before.server, after.server)),
    postgres: perRequest(postgres),
    bench: perRequest(delta(before.bench, after.bench)),
  };
}

const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/** BENCH_DATABASE_URL, or a new database on the local server (dropped by dropBenchDatabase); null without PostgreSQL. */
export async function benchDatabaseUrl(): Promise<string | null> {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
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

/** The bench made its database: remove it, so runs do not pile up databases on the server. */
export async function dropBenchDatabase(databaseUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query(
      `drop database if exists ${pg.escapeIdentifier(new URL(databaseUrl).pathname.slice(1))} with (force)`,
    );
  } catch (error) {
    console.log(`  could not drop the bench database: ${error instanceof Error ? error.message : error}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

export async function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/**
 * `next start` of the production build (of `checkout`, this one by default) on a free port, with the bench routes on; resolves once it
 * serves. BENCH_SERVER_NODE_OPTIONS go on the command line (NODE_OPTIONS refuses --cpu-prof).
 * The background worker is off: 30 s after a submit it would start polling every request the bench
 * left pending (thousands), and that load would land in whichever measurement runs then. Each
 * request's own work (decision, execution claim, webhook delivery) runs inline, as in production.
 */
export async function startNextServer(
  databaseUrl: string,
  checkout = process.cwd(),
): Promise<{ url: string; pid: number; process: ChildProcess }> {
  const port = await freePort();
  const nodeOptions = (process.env.BENCH_SERVER_NODE_OPTIONS ?? "").split(/\s+/).filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeOptions, "node_modules/next/dist/bin/next", "start", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: checkout,
      env: {
        ...process.env,
        NODE_OPTIONS: "",
        NODE_ENV: "production",
        DATABASE_URL: databaseUrl,
        ALLOW_PRIVATE_NETWORK_URLS: "true",
        BENCH_FLOOR_ROUTE: "true",
        AUTH_SECRET: "bench-secret-0123456789abcdef0123456789",
        APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY,
        API_RATE_LIMIT_PER_SECOND: "1000000",
        GATEWAY_WORKER: "false",
      },
      stdio: process.env.BENCH_SERVER_LOGS ? "inherit" : "ignore",
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    try {
      if ((await fetch(`${url}/login`)).ok) break;
    } catch {
      /* starting */
    }
    if (i > 200 || child.exitCode !== null) {
      child.kill("SIGTERM");
      throw new Error("next start did not come up");
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { url, pid: child.pid!, process: child };
}

export const localPostgres = () => !process.env.BENCH_DATABASE_URL && existsSync("/proc/self/stat");
