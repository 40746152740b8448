import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "../setup/database";
import { createGatewayTenant, wipeRequest } from "../setup/gateway";
import { startStubAuthorizer } from "../setup/stub-authorizer";
import { startStubService } from "../setup/stub-service";

// Several processes share one database here, which the embedded PGlite cannot do: this test runs
// against PostgreSQL (CI sets TEST_DATABASE_URL; see README).
const databaseUrl = process.env.TEST_DATABASE_URL;
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.exitCode === null && c.kill("SIGKILL")));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startInstance(port: number): Promise<ChildProcess> {
  // node itself (not npx), so that SIGKILL reaches the process that holds the connections.
  const child = spawn(process.execPath, ["--import", "tsx", "tests/setup/gateway-child.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      GATEWAY_JOB_LEASE_SECONDS: "2",
      GATEWAY_WORKER: "true",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("instance did not start")), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && (clearTimeout(timer), resolve()));
    child.on("exit", (code) => reject(new Error(`instance exited with ${code}`)));
  });
  return child;
}

describe.skipIf(!databaseUrl)("crash and restart (PostgreSQL)", () => {
  const db = setupTestDatabase();

  it("a SIGKILL mid-flight loses no request and executes nothing twice, with two instances after restart", async () => {
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    let keys: any[] = [];
    const stub = await startStubAuthorizer({
      mode: "approve",
      delayMs: 300,
      deliverDecisions: true,
      trustedSpKeys: () => keys,
    });
    let secret = "";
    let apiKey = "";
    // The SP's service claims each execution at the gateway before it runs it, as lib/client's
    // `execute` does: the one thing that keeps a webhook repeated after the crash (sent, then the
    // sender killed before it recorded the answer) from running the action twice.
    const service = await startStubService(() => secret, { claimAt: () => ({ baseUrl: appUrl, apiKey }) });
    const tenant = await createGatewayTenant(db(), {
      appUrl,
      authorizers: [{ name: "default", url: stub.url }],
      webhookUrl: service.url,
    });
    secret = tenant.webhookSecret;
    apiKey = tenant.apiKey;
    keys = await tenant.spKeys();

    const submitAll = () =>
      Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          fetch(`${appUrl}/api/v1/authorization-requests`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${tenant.apiKey}`,
              "content-type": "application/json",
              "idempotency-key": `crash-${i}`,
            },
            body: JSON.stringify(wipeRequest({ externalId: `crash-${i}` })),
          }),
        ),
      );

    const first = await startInstance(port);
    const inFlight = submitAll();
    while (stub.state.received.size < 5) await new Promise((r) => setTimeout(r, 10));
    first.kill("SIGKILL");
    await inFlight;
    // The kill really landed mid-flight: requests were recorded and were still pending, their jobs leased to the dead process.
    const atCrash = await db()
      .execute(sql`select count(*)::int as n, count(*) filter (where status = 'pending')::int as pending
      from authorization_requests where tenant_id = ${tenant.tenantId}`);
    const crash = (atCrash as unknown as { rows: { n: number; pending: number }[] }).rows[0]!;
    expect(crash.n).toBeGreaterThanOrEqual(5);
    expect(crash.pending).toBeGreaterThanOrEqual(1);

    // Restart, plus a second instance: both run workers on the same database.
    await Promise.all([startInstance(port), startInstance(await freePort())]);
    // The services retry what failed, with the same Idempotency-Keys.
    const retried = await submitAll();
    expect(retried.every((r) => r.status === "fulfilled" && [200, 202].includes(r.value.status))).toBe(true);

    const deadline = Date.now() + 45_000;
    let rows: { status: string; execution: string | null; n: number }[] = [];
    while (Date.now() < deadline) {
      const result = await db().execute(sql`
        select r.status, e.status as execution, count(*)::int as n from authorization_requests r
        left join executions e on e.request_id = r.request_id
        where r.tenant_id = ${tenant.tenantId} group by r.status, e.status`);
      rows = (result as unknown as { rows: typeof rows }).rows;
      if (rows.length === 1 && rows[0]!.status === "approved" && rows[0]!.execution === "succeeded") break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(rows).toEqual([{ status: "approved", execution: "succeeded", n: 20 }]);
    expect(service.state.executions.size).toBe(20);
    expect([...service.state.executions.values()].every((n) => n === 1)).toBe(true);
    await Promise.all([stub.close(), service.close()]);
  }, 90_000);
});
