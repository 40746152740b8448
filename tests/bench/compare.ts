/**
 * `npm run bench:compare -- <other checkout>`: this build against another one (an earlier commit in a
 * worktree, say), in the same minutes. On a shared 2-core machine two `npm run bench` runs minutes apart
 * differ by more than most changes are worth (pending-submit ratios of 0.74 and 0.79 for the same code);
 * two servers measured in alternating rounds share each window of the machine, so their ratio is steadier.
 *
 * Each checkout needs its production build (`npm run build` in it) and its own node_modules. Each gets
 * a new PostgreSQL database migrated by its own migrations (dropped afterwards); the bench tenant is
 * written with this checkout's test setup, so the two schemas must agree on tenants, API keys, keys and
 * authorizers (true of neighbouring versions). Both submit against one stub authorizer that answers
 * `202 pending`; each round measures submit and the honest floor on both servers, in turns that swap
 * order every round. Prints each server's medians and the per-round ratios. Figures, not a test.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createDatabase, type DatabaseHandle } from "../../db/client";
import { resetConfigForTests } from "@/lib/config/env";
import type { TrustedKey } from "@/lib/stepauth";
import { createGatewayTenant, wipeRequest } from "../setup/gateway";
import { startStubAuthorizer } from "../setup/stub-authorizer";
import {
  benchBackendPids,
  benchDatabaseUrl,
  cpuPerRequest,
  cpuSnapshot,
  dropBenchDatabase,
  load,
  startNextServer,
} from "./http-measure";

const ROUNDS = Number(process.env.BENCH_COMPARE_ROUNDS ?? 6);
const MEASURE_MS = (Number(process.env.BENCH_SECONDS ?? 8) * 1000) / 2;
const PATHS = { submit: "/api/v1/authorization-requests", floor: "/api/bench/honest-floor" } as const;
type PathName = keyof typeof PATHS;

interface Side {
  name: string;
  checkout: string;
  databaseUrl: string;
  handle?: DatabaseHandle;
  server?: Awaited<ReturnType<typeof startNextServer>>;
  apiKey?: string;
}
type Ready = Required<Side>;

/** The median; of an even count, the mean of the two middle values (six rounds must not lean high). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<number> {
  const other = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
  if (!other) return fail("usage: npm run bench:compare -- <path of the other checkout, built>");
  const checkouts = { this: process.cwd(), other };
  for (const dir of Object.values(checkouts))
    if (!existsSync(path.join(dir, ".next/BUILD_ID"))) return fail(`no production build in ${dir}: npm run build`);
  // Each side needs a database of its own, migrated by its own migrations: one given database cannot be both.
  if (process.env.BENCH_DATABASE_URL) return fail("bench:compare makes its own databases: unset BENCH_DATABASE_URL");
  process.env.APP_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  resetConfigForTests();

  const trusted: TrustedKey[] = [];
  const stub = await startStubAuthorizer({ mode: "pending", trustedSpKeys: () => trusted });
  const sides: Side[] = [];
  try {
    for (const [name, checkout] of Object.entries(checkouts)) {
      const databaseUrl = await benchDatabaseUrl();
      if (!databaseUrl) return fail("no PostgreSQL on 127.0.0.1:5432");
      const side: Side = { name, checkout, databaseUrl };
      sides.push(side);
      const migrated = spawnSync("npm", ["run", "--silent", "db:migrate"], {
        cwd: checkout,
        env: { ...process.env, DATABASE_URL: databaseUrl },
        stdio: "inherit",
      });
      if (migrated.status !== 0) throw new Error(`migrations failed in ${checkout}`);
      side.handle = createDatabase(databaseUrl);
      side.server = await startNextServer(databaseUrl, checkout);
      const tenant = await createGatewayTenant(side.handle.db, {
        appUrl: side.server.url,
        authorizers: [{ name: "reviewing", url: stub.url }],
      });
      trusted.push(...(await tenant.spKeys()));
      side.apiKey = tenant.apiKey;
    }
    return await compare(sides as Ready[]);
  } finally {
    for (const side of sides) {
      side.server?.process.kill("SIGTERM");
      await side.handle?.close();
      await dropBenchDatabase(side.databaseUrl);
    }
    await stub.close();
  }
}

function fail(message: string): number {
  console.log(message);
  return 1;
}

async function compare(sides: Ready[]): Promise<number> {
  const body = JSON.stringify(wipeRequest());
  const run = (side: Ready, name: PathName, durationMs: number) =>
    load(`${side.server.url}${PATHS[name]}`, { authorization: `Bearer ${side.apiKey}` }, () => body, durationMs);
  // Warm both servers on both paths (JIT, pools, prepared statements): the first seconds run slower.
  for (const side of sides) for (const name of Object.keys(PATHS) as PathName[]) await run(side, name, 3000);

  const turns = sides.flatMap((side) => (Object.keys(PATHS) as PathName[]).map((name) => ({ side, name })));
  const figures = new Map<string, { perSecond: number[]; server: number[]; postgres: number[]; failed: number }>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const { side, name } of round % 2 === 0 ? turns : [...turns].reverse()) {
      const backends = await benchBackendPids(side.handle.db);
      const before = cpuSnapshot([side.server.pid], backends);
      const result = await run(side, name, MEASURE_MS);
      const cpu = cpuPerRequest(before, cpuSnapshot([side.server.pid], backends), result.requests);
      const key = `${side.name}/${name}`;
      const entry = figures.get(key) ?? { perSecond: [], server: [], postgres: [], failed: 0 };
      entry.perSecond.push(result.perSecond);
      // A failure answers fast: counted as throughput it would flatter the side that fails.
      entry.failed +=
        result.errors +
        Object.entries(result.statuses).reduce((n, [status, count]) => (Number(status) >= 300 ? n + count : n), 0);
      if (cpu.server !== null) entry.server.push(cpu.server);
      if (cpu.postgres !== null) entry.postgres.push(cpu.postgres);
      figures.set(key, entry);
    }
  }

  console.log(`\nthis checkout (${sides[0]!.checkout}) against ${sides[1]!.checkout}, ${ROUNDS} alternating rounds`);
  console.table(
    [...figures].map(([key, f]) => ({
      path: key,
      "req/s": Math.round(median(f.perSecond)),
      rounds: f.perSecond.map(Math.round).join(", "),
      "server µs": f.server.length ? median(f.server) : "—",
      "postgres µs": f.postgres.length ? median(f.postgres) : "—",
      "failed answers": f.failed,
    })),
  );
  const failed = [...figures].filter(([, f]) => f.failed > 0).map(([key]) => key);
  if (failed.length > 0) {
    console.log(`answers other than 2xx on ${failed.join(", ")}: no ratio is worth reading (see the server logs)`);
    return 1;
  }
  const ratio = (of: string, to: string) => {
    const a = figures.get(of)!.perSecond;
    const b = figures.get(to)!.perSecond;
    const each = a.map((value, i) => value / b[i]!);
    return {
      ratio: `${of} ÷ ${to}`,
      median: median(each).toFixed(3),
      rounds: each.map((r) => r.toFixed(2)).join(", "),
    };
  };
  console.table([
    ratio("this/submit", "this/floor"),
    ratio("other/submit", "other/floor"),
    ratio("this/submit", "other/submit"),
    ratio("this/floor", "other/floor"),
  ]);
  return 0;
}

process.exit(await main());
