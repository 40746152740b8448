/**
 * Scale benchmark (`npm run bench:scale`): one tenant with BENCH_SCALE_ROWS requests (default
 * 1,000,000, with their targets and timelines) and a small second tenant, seeded set-based into a
 * throw-away PostgreSQL database; then every console call an admin makes — the overview, each list
 * filter and combination (also ones matching nothing), text search, a request's detail — timed
 * through HTTP against `next start` with a console session, warm, and printed with p50, p95 and the
 * target. Needs `npm run build`. Exits non-zero on an error (a call that does not answer 200);
 * unmet targets fail the run only with BENCH_SCALE_STRICT=true (CI runs it small, as a smoke test).
 * BENCH_SCALE_KEEP=true keeps the database; BENCH_SCALE_DATABASE=<name> times a kept one again.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { Agent, request } from "undici";
import { createDatabase, type DatabaseHandle } from "../../db/client";
import { runMigrations } from "../../db/migrate";
import { rebuildRequestStats } from "../../db/queries/request-stats-rollup";
import { authorizers, users } from "../../db/schema";
import { hashPassword } from "../../lib/auth/password";
import { createGatewayTenant } from "../setup/gateway";
import { seedRequests } from "./scale-seed";
import { resetConfigForTests } from "@/lib/config/env";

const ROWS = Number(process.env.BENCH_SCALE_ROWS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_SCALE_REPEAT ?? 20);
const SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const AUTHORIZERS = ["security", "finance", "oncall", "idle"];

interface Call {
  name: string;
  path: string;
  targetMs: number;
}

function calls(detailIds: string[], externalToken: string): Call[] {
  const list = (query: string) => `/api/console/requests?${query}`;
  const out: Call[] = [{ name: "overview", path: "/api/console/stats", targetMs: 150 }];
  for (const range of ["1h", "24h", "7d", "30d", "all"])
    out.push({ name: `list range=${range}`, path: list(`range=${range}`), targetMs: 100 });
  for (const status of ["pending", "approved", "denied", "expired", "cancelled"]) {
    out.push({ name: `list status=${status}`, path: list(`status=${status}`), targetMs: 100 });
    out.push({ name: `list status=${status} range=24h`, path: list(`status=${status}&range=24h`), targetMs: 100 });
  }
  const filters: [string, string][] = [
    ["actionType=deploy.production", "common action type"],
    ["actionType=account.close", "rare action type"],
    ["actionType=no.such.action", "action type matching nothing"],
    ["category=finance.payout", "category"],
    ["category=no.such.category", "category matching nothing"],
    ["principalType=human", "principal human"],
    ["principalType=agent", "principal agent"],
    ["authorizer=security", "authorizer (common)"],
    ["authorizer=finance", "authorizer"],
    ["authorizer=idle", "authorizer with no requests"],
    ["authorizer=nobody", "unknown authorizer"],
    ["status=pending&principalType=human&range=1h", "status+principal+1h"],
    ["status=denied&actionType=payment.refund&range=7d", "status+action+7d"],
    ["principalType=human&actionType=deploy.production", "principal+action, matching nothing"],
    ["status=cancelled&category=iam.change&range=30d", "status+category+30d"],
    ["status=approved&authorizer=finance&range=24h", "status+authorizer+24h"],
    ["authorizer=finance&actionType=deploy.production", "authorizer+action, matching nothing"],
    [
      "status=pending&range=all&principalType=agent&category=infra.destroy&actionType=device.wipe&authorizer=security",
      "every filter",
    ],
    [
      "status=expired&principalType=service&actionType=secret.rotate&category=iam.change&authorizer=idle&range=7d",
      "every filter, matching nothing",
    ],
  ];
  for (const [query, label] of filters) out.push({ name: `list ${label}`, path: list(query), targetMs: 100 });
  for (const [query, label] of [
    ["q=MacBook", "common word"],
    [`q=${externalToken}`, "one external id"],
    ["q=zzqxj", "matching nothing"],
    ["q=Ravi&status=denied&range=7d", "word + status + 7d"],
    ["q=prod-db-7&actionType=db.drop_table", "word + action"],
  ] as const)
    out.push({ name: `search ${label}`, path: list(query), targetMs: 150 });
  detailIds.forEach((id, i) =>
    out.push({ name: `detail #${i + 1}`, path: `/api/console/requests/${id}`, targetMs: 30 }),
  );
  return out;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Signs in through Auth.js over HTTP (CSRF token, credentials callback); returns the cookie header. */
async function signIn(appUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [name, ...value] = pair!.split("=");
      jar.set(name!.trim(), value.join("="));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${appUrl}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signedIn = await fetch(`${appUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header(), origin: appUrl },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${appUrl}/` }).toString(),
  });
  keep(signedIn);
  if (!jar.has("authjs.session-token")) throw new Error(`sign-in failed: ${signedIn.status}`);
  return header();
}

async function timeCall(agent: Agent, url: string, cookie: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REPEAT + 2; i += 1) {
    const t0 = performance.now();
    const response = await request(url, { dispatcher: agent, headers: { cookie } });
    const text = await response.body.text();
    const elapsed = performance.now() - t0;
    if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}: ${text.slice(0, 300)}`);
    if (i >= 2) times.push(elapsed); // the first two warm the route and the database's caches
  }
  return times.sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** Creates the database and seeds it; or, with BENCH_SCALE_DATABASE, reuses one a kept run seeded. */
async function prepare(handle: DatabaseHandle, appUrl: string, reuse: boolean) {
  if (reuse) {
    const [big] = (
      (await handle.db.execute(sql`select r.tenant_id, m.user_id, u.email from authorization_requests r
        join memberships m on m.tenant_id = r.tenant_id and m.role = 'owner' join users u on u.id = m.user_id
        group by 1, 2, 3 order by count(*) desc limit 1`)) as unknown as {
        rows: { tenant_id: string; user_id: string; email: string }[];
      }
    ).rows;
    const password = `pw-${randomBytes(8).toString("hex")}`;
    await handle.db
      .update(users)
      .set({ passwordHash: await hashPassword(password) })
      .where(eq(users.id, big!.user_id));
    const [rows] = (
      (await handle.db.execute(
        sql`select count(*)::int as n from authorization_requests where tenant_id = ${big!.tenant_id}`,
      )) as unknown as { rows: { n: number }[] }
    ).rows;
    console.log(`\nScale benchmark: reusing ${rows!.n.toLocaleString("en")} requests seeded earlier`);
    return { tenantId: big!.tenant_id, email: big!.email, password, rows: rows!.n };
  }
  const authorizerSpecs = AUTHORIZERS.map((n) => ({ name: n, url: `https://${n}.authorizer.test/stepauth` }));
  const big = await createGatewayTenant(handle.db, { appUrl, authorizers: authorizerSpecs });
  const small = await createGatewayTenant(handle.db, { appUrl, authorizers: authorizerSpecs });
  const smallRows = Math.max(100, Math.round(ROWS / 100));
  const seedStarted = performance.now();
  const timings: Record<string, Record<string, number>> = {};
  for (const [label, tenant, rows] of [
    ["main", big, ROWS],
    ["second", small, smallRows],
  ] as const) {
    timings[label] = await seedRequests(handle.db, {
      tenantId: tenant.tenantId,
      rows,
      salt: label,
      authorizerIds: AUTHORIZERS.map((n) => tenant.authorizers[n]!.id),
      authorizerNames: AUTHORIZERS,
    });
    const t0 = performance.now();
    await rebuildRequestStats(handle.db, tenant.ctx);
    timings[label]!.rollup = Math.round(performance.now() - t0);
  }
  const t0 = performance.now();
  // What autovacuum does on a live database: statistics, and a visibility map for index-only scans.
  await handle.db.execute(sql.raw("vacuum analyze"));
  // An authorizer that never got a request, switched off (the filter still offers it).
  await handle.db.update(authorizers).set({ enabled: false }).where(eq(authorizers.id, big.authorizers.idle!.id));
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `\nScale benchmark: ${ROWS.toLocaleString("en")} requests in one tenant (+${smallRows.toLocaleString("en")} in a second), PostgreSQL, next start`,
  );
  console.log(
    `  seeded in ${seconds(performance.now() - seedStarted)} (${Object.entries(timings)
      .map(
        ([t, steps]) =>
          `${t}: ${Object.entries(steps)
            .map(([k, v]) => `${k} ${seconds(v)}`)
            .join(", ")}`,
      )
      .join("; ")}; vacuum analyze ${seconds(performance.now() - t0)})`,
  );
  return { tenantId: big.tenantId, email: big.owner.email, password: big.owner.password, rows: ROWS };
}

async function main(): Promise<number> {
  const reuse = process.env.BENCH_SCALE_DATABASE;
  const name = reuse ?? `stepauth_scale_${randomBytes(4).toString("hex")}`;
  try {
    if (!reuse) await admin(`create database ${name}`);
  } catch (error) {
    console.log(
      `bench:scale skipped: no PostgreSQL at ${new URL(SERVER_URL).host} (${error instanceof Error ? error.message : error})`,
    );
    return 0;
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  process.env.APP_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  // The app reads its configuration once (lib/config/env.ts): read it again after setting it here.
  resetConfigForTests();
  const handle = createDatabase(databaseUrl);
  let server: ReturnType<typeof spawn> | undefined;
  try {
    await runMigrations(handle);
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const big = await prepare(handle, appUrl, Boolean(reuse));
    const ROWS = big.rows;
    const ids = (await handle.db
      .execute(sql`select request_id from (select request_id, row_number() over (order by created_at desc) as n
        from authorization_requests where tenant_id = ${big.tenantId}) s where n in (1, ${Math.ceil(ROWS / 2)}, ${ROWS})`)) as unknown as {
      rows: { request_id: string }[];
    };

    server = spawn(
      process.execPath,
      ["node_modules/next/dist/bin/next", "start", "--hostname", "127.0.0.1", "--port", String(port)],
      {
        env: {
          ...process.env,
          NODE_OPTIONS: "",
          NODE_ENV: "production",
          DATABASE_URL: databaseUrl,
          AUTH_SECRET: "bench-secret-0123456789abcdef0123456789",
          GATEWAY_WORKER: "false",
        },
        stdio: "ignore",
        detached: true,
      },
    );
    for (let i = 0; ; i += 1) {
      try {
        if ((await fetch(`${appUrl}/login`)).ok) break;
      } catch {
        /* starting */
      }
      if (i > 300) throw new Error("next start did not come up");
      await new Promise((r) => setTimeout(r, 150));
    }
    const cookie = await signIn(appUrl, big.email, big.password);
    const agent = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
    const results: { name: string; p50: number; p95: number; targetMs: number }[] = [];
    for (const call of calls(
      ids.rows.map((r) => r.request_id),
      `main-${Math.ceil(ROWS / 3)}`,
    )) {
      const times = await timeCall(agent, appUrl + call.path, cookie);
      results.push({
        name: call.name,
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        targetMs: call.targetMs,
      });
    }
    await agent.close();
    const width = Math.max(...results.map((r) => r.name.length));
    console.log(
      `  ${"call".padEnd(width)}  ${"p50 ms".padStart(8)}  ${"p95 ms".padStart(8)}  ${"target".padStart(7)}  met`,
    );
    for (const r of results) {
      console.log(
        `  ${r.name.padEnd(width)}  ${r.p50.toFixed(1).padStart(8)}  ${r.p95.toFixed(1).padStart(8)}  ${`≤${r.targetMs}`.padStart(7)}  ${r.p95 <= r.targetMs ? "met" : "NOT MET"}`,
      );
    }
    const unmet = results.filter((r) => r.p95 > r.targetMs);
    console.log(`  ${results.length - unmet.length}/${results.length} targets met (p95 of ${REPEAT} warm calls each)`);
    return unmet.length > 0 && process.env.BENCH_SCALE_STRICT === "true" ? 1 : 0;
  } finally {
    if (server?.pid) process.kill(-server.pid, "SIGTERM");
    await handle.close();
    if (process.env.BENCH_SCALE_KEEP === "true" || reuse)
      console.log(`  kept the database ${name} (BENCH_SCALE_DATABASE=${name} reuses it)`);
    else
      await admin(`drop database if exists ${name} with (force)`).catch((error) =>
        console.log(`  could not drop ${name}: ${error}`),
      );
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
