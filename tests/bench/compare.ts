/**
 * `npm run bench:compare -- <other checkout>`: this build against another one (an earlier commit in a
 * worktree, say), in the same minutes. On a shared 2-core machine two `npm run bench` runs minutes apart
 * differed by more than most changes are worth (a pending-submit ratio of 0.76 and 0.79 on the same
 * code); two servers measured in alternating rounds see the same machine, so their ratio is steady.
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
  handle: DatabaseHandle;
  server: Awaited<ReturnType<typeof startNextServer>>;
  apiKey: string;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const other = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
  if (!other) return console.log("usage: npm run bench:compare -- <path of the other checkout, built>");
  const checkouts = { this: process.cwd(), other };
  for (const dir of Object.values(checkouts))
    if (!existsSync(path.join(dir, ".next/BUILD_ID")))
      return console.log(`no production build in ${dir}: npm run build`);
  process.env.APP_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  resetConfigForTests();

  const trusted: TrustedKey[] = [];
  const stub = await startStubAuthorizer({ mode: "pending", trustedSpKeys: () => trusted });
  const sides: Side[] = [];
  try {
    for (const [name, checkout] of Object.entries(checkouts)) {
      const databaseUrl = await benchDatabaseUrl();
      if (!databaseUrl) return console.log("no PostgreSQL (set BENCH_DATABASE_URL or run one on 127.0.0.1:5432)");
      const migrated = spawnSync("npm", ["run", "--silent", "db:migrate"], {
        cwd: checkout,
        env: { ...process.env, DATABASE_URL: databaseUrl },
        stdio: "inherit",
      });
      if (migrated.status !== 0) throw new Error(`migrations failed in ${checkout}`);
      const handle = createDatabase(databaseUrl);
      const server = await startNextServer(databaseUrl, checkout);
      sides.push({ name, checkout, databaseUrl, handle, server, apiKey: "" });
      const tenant = await createGatewayTenant(handle.db, {
        appUrl: server.url,
        authorizers: [{ name: "reviewing", url: stub.url }],
      });
      trusted.push(...(await tenant.spKeys()));
      sides.at(-1)!.apiKey = tenant.apiKey;
    }
    await compare(sides);
  } finally {
    for (const side of sides) {
      side.server.process.kill("SIGTERM");
      await side.handle.close();
      if (!process.env.BENCH_DATABASE_URL) await dropBenchDatabase(side.databaseUrl);
    }
    await stub.close();
  }
}

async function compare(sides: Side[]): Promise<void> {
  const body = JSON.stringify(wipeRequest());
  const run = (side: Side, name: PathName, durationMs: number) =>
    load(`${side.server.url}${PATHS[name]}`, { authorization: `Bearer ${side.apiKey}` }, () => body, durationMs);
  // Warm both servers on both paths (JIT, pools, prepared statements): the first seconds run slower.
  for (const side of sides) for (const name of Object.keys(PATHS) as PathName[]) await run(side, name, 3000);

  const turns = sides.flatMap((side) => (Object.keys(PATHS) as PathName[]).map((name) => ({ side, name })));
  const figures = new Map<string, { perSecond: number[]; server: number[]; postgres: number[] }>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const { side, name } of round % 2 === 0 ? turns : [...turns].reverse()) {
      const backends = await benchBackendPids(side.handle.db);
      const before = cpuSnapshot([side.server.pid], backends);
      const result = await run(side, name, MEASURE_MS);
      const cpu = cpuPerRequest(before, cpuSnapshot([side.server.pid], backends), result.requests);
      const key = `${side.name}/${name}`;
      const entry = figures.get(key) ?? { perSecond: [], server: [], postgres: [] };
      entry.perSecond.push(result.perSecond);
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
    })),
  );
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
}

await main();
process.exit(0);
