import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseHandle } from "@/db/client";
import { seedDemoTenant } from "@/db/seed";
import { resetConfigForTests } from "@/lib/config/env";
import { demoAction } from "@/lib/demo/actions";
import { freePort, standaloneServer } from "./server";

// The deployable artifact on PostgreSQL, as the Dockerfile runs it: `node .next/standalone/server.js`
// on a fresh database with MIGRATE_ON_START, healthy only once the database answers, then one
// request submitted through the public API and decided by the built-in sandbox's policy.
const adminUrl = "postgres://postgres@127.0.0.1:5432/postgres";
const dbName = `stepauth_standalone_${process.pid}_${Date.now()}`;

async function admin(statement: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query(statement);
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const postgresAnswers = await admin(`create database ${dbName}`);
if (!postgresAnswers) console.warn("standalone smoke test skipped: no PostgreSQL server answers on 127.0.0.1:5432");

describe.skipIf(!postgresAnswers)("the standalone server on PostgreSQL", () => {
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${dbName}`;
  let server: ChildProcess | undefined;
  let output = "";
  let baseUrl = "";
  let handle: DatabaseHandle | undefined;
  // The server and this process (which seeds the tenant) must seal and open secrets with the same key.
  const secrets = {
    AUTH_SECRET: "standalone-auth-secret-0123456789abcdef0123",
    APP_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString("base64"),
  };

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      NODE_ENV: "production" as const,
      DATABASE_URL: databaseUrl,
      MIGRATE_ON_START: "true",
      HOSTNAME: "127.0.0.1",
      PORT: String(port),
      GATEWAY_PUBLIC_URL: baseUrl,
      ...secrets,
      ALLOW_PRIVATE_NETWORK_URLS: "true",
    };
    const child = spawn(process.execPath, [standaloneServer], { env, stdio: "pipe", detached: true });
    server = child;
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const health = await fetch(`${baseUrl}/api/health`).catch(() => undefined);
      if (health?.status === 200) break;
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`the standalone server did not become healthy:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  afterAll(async () => {
    if (server?.pid) process.kill(-server.pid, "SIGTERM");
    await handle?.close();
    await admin(`drop database if exists ${dbName} with (force)`);
  });

  it("reports healthy on PostgreSQL after applying the migrations itself", async () => {
    const health = await (await fetch(`${baseUrl}/api/health`)).json();
    expect(health).toMatchObject({ status: "ok", database: "node-postgres" });
    handle = createDatabase(databaseUrl);
    const applied = await handle.db.execute("select count(*)::int as n from drizzle.__drizzle_migrations" as never);
    expect((applied as unknown as { rows: { n: number }[] }).rows[0]!.n).toBeGreaterThan(0);
  });

  it("submits one request through the public API and the sandbox's policy decides it", async () => {
    Object.assign(process.env, secrets, { GATEWAY_PUBLIC_URL: baseUrl }); // the seeded sandbox registration points at this server
    // The configuration is read once (lib/config/env.ts): read it again, or this process seals the
    // tenant's keys with the key it read first and the server cannot open them (it answered 500).
    resetConfigForTests();
    handle ??= createDatabase(databaseUrl);
    const demo = await seedDemoTenant(handle.db);
    expect(demo).not.toBeNull();
    const incidentAccess = demoAction("aws-admin");
    const response = await fetch(`${baseUrl}/api/v1/authorization-requests`, {
      method: "POST",
      headers: { authorization: `Bearer ${demo!.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(incidentAccess.body),
    });
    const body = (await response.json()) as { requestId: string; status: string };
    expect(response.status, `${JSON.stringify(body)}\n${output}`).toBeLessThan(300);
    expect(body.requestId).toMatch(/^req_/);
    // Time-boxed incident access is approved by the sandbox's default policy: in the submit answer or soon after.
    let status = body.status;
    for (let i = 0; status === "pending" && i < 40; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const view = await fetch(`${baseUrl}/api/v1/authorization-requests/${body.requestId}`, {
        headers: { authorization: `Bearer ${demo!.apiKey}` },
      });
      status = ((await view.json()) as { status: string }).status;
    }
    expect(status).toBe("approved");
  });
});
