import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { tenantLoadOf } from "@/lib/fairness/tenant-fair-share";
import { setupTestDatabase } from "../setup/database";
import { api, createGatewayTenant, setupAppServer, wipeRequest, type GatewayTenant } from "../setup/gateway";
import { startStubAuthorizer } from "../setup/stub-authorizer";

// Issue 12 item 5: one tenant's work can never stall another's. Tenant B submits at a modest, steady
// rate; its p99 is measured idle, then while tenant A attacks with everything at once: submits at full
// concurrency, each through a routing script that burns its whole CEL budget, and long-polls far beyond
// the caps. Both phases run in the same process minutes apart, so the machine's own noise cancels out.

const db = setupTestDatabase();
const appUrl = setupAppServer();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => Promise.all(cleanups.splice(0).map((c) => c())));

// Linear per match (RE2), but 3,600 iterations of unanchored searches through a 3,600-character
// summary: each evaluation runs 20–50 ms or until its 50 ms budget stops it (nesting and list sizes are
// at the script limits).
const LIST = `[${Array.from({ length: 60 }, (_, i) => i).join(",")}]`;
const SEARCH = '!request.action.summary.matches("(x|y)+z$")';
const COSTLY_SCRIPT = `${LIST}.all(i, ${LIST}.all(j, ${Array(8).fill(SEARCH).join(" && ")})) ? ["default"] : ["default"]`;
const costlyRequest = () => {
  const request = wipeRequest() as { action: { summary: string } };
  request.action.summary = "If approved, wipe ".repeat(200);
  return request;
};

// Idle and attacked blocks alternate, so the shared machine's drifting load falls on both alike.
const ROUNDS = 3;
const B_SAMPLES = 80;
const B_WARMUP = 10;
const B_INTERVAL_MS = 50;
const ATTACK_SUBMITTERS = Number(process.env.NOISY_ATTACK_SUBMITTERS ?? 32);
const RETRY_PAUSE_MS = Number(process.env.NOISY_RETRY_PAUSE_MS ?? 2000);
const ATTACK_LONG_POLLS = Number(process.env.NOISY_ATTACK_LONG_POLLS ?? 150);

async function gatewayTenant(routingScript?: string): Promise<GatewayTenant> {
  let keys: Awaited<ReturnType<GatewayTenant["spKeys"]>> = [];
  const stub = await startStubAuthorizer({ mode: "pending", trustedSpKeys: () => keys });
  cleanups.push(stub.close);
  const tenant = await createGatewayTenant(db(), {
    appUrl: appUrl(),
    authorizers: [{ name: "default", url: stub.url }],
    routingScript,
  });
  keys = await tenant.spKeys();
  return tenant;
}

const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.99) - 1]!;

/** B's submit latencies: one submit every B_INTERVAL_MS (open loop, so a slow answer does not slow the rate). */
async function measureTenantB(tenant: GatewayTenant): Promise<{ latencies: number[]; statuses: number[] }> {
  const latencies: number[] = [];
  const statuses: number[] = [];
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < B_WARMUP + B_SAMPLES; i += 1) {
    const started = performance.now();
    inFlight.push(
      api(
        appUrl(),
        tenant.apiKey,
        "POST",
        "/api/v1/authorization-requests",
        wipeRequest({ externalId: `b-${i}` }),
      ).then((answer) => {
        if (i < B_WARMUP) return;
        latencies.push(performance.now() - started);
        statuses.push(answer.status);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, B_INTERVAL_MS));
  }
  await Promise.all(inFlight);
  return { latencies, statuses };
}

/** Tenant A at full concurrency, from its own process (tests/setup/tenant-flood-child.ts). */
async function attack(
  tenant: GatewayTenant,
  pendingId: string,
): Promise<{ stop: () => Promise<Record<string, number>> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/setup/tenant-flood-child.ts"], {
    env: {
      ...process.env,
      FLOOD_URL: appUrl(),
      FLOOD_API_KEY: tenant.apiKey,
      FLOOD_PENDING_ID: pendingId,
      FLOOD_BODY: JSON.stringify(costlyRequest()),
      FLOOD_SUBMITTERS: String(ATTACK_SUBMITTERS),
      FLOOD_LONG_POLLS: String(ATTACK_LONG_POLLS),
      FLOOD_RETRY_PAUSE_MS: String(RETRY_PAUSE_MS),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  return {
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      return JSON.parse(output.split("\n").filter(Boolean).at(-1)!) as Record<string, number>;
    },
  };
}

// Opt-in (NOISY_NEIGHBOUR_TEST=1): about 100 s of load. It passes at a load average of ~6 on the
// shared 2-core machine (PGlite and PostgreSQL) and fails at ~20, where the process gets a tenth of a
// core; see the report of branch `neighbour`. The figures it logs are worth reading either way.
describe.runIf(process.env.NOISY_NEIGHBOUR_TEST === "1")("one tenant's work cannot stall another's", () => {
  it("keeps tenant B's submit p99 within 2× of its idle p99 while tenant A attacks", { timeout: 400_000 }, async () => {
    const victim = await gatewayTenant();
    const attacker = await gatewayTenant(COSTLY_SCRIPT);
    const pending = await api(appUrl(), attacker.apiKey, "POST", "/api/v1/authorization-requests", costlyRequest());
    expect(pending.status).toBe(202);

    const idle = { latencies: [] as number[], statuses: [] as number[] };
    const underAttack = { latencies: [] as number[], statuses: [] as number[] };
    const attackerAnswers: Record<string, number> = {};
    const drainMs: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // "Idle" means idle: the attacker's accepted work from the last round has finished.
      const draining = Date.now();
      while (Object.values(tenantLoadOf(attacker.tenantId)).some((n) => n > 0) && Date.now() - draining < 60_000)
        await new Promise((r) => setTimeout(r, 100));
      drainMs.push(Date.now() - draining);
      const quiet = await measureTenantB(victim);
      idle.latencies.push(...quiet.latencies);
      idle.statuses.push(...quiet.statuses);
      const attackRun = await attack(attacker, pending.body.requestId as string);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const attacked = await measureTenantB(victim);
      underAttack.latencies.push(...attacked.latencies);
      underAttack.statuses.push(...attacked.statuses);
      for (const [status, count] of Object.entries(await attackRun.stop()))
        attackerAnswers[status] = (attackerAnswers[status] ?? 0) + count;
    }
    expect(idle.statuses.filter((s) => s !== 202)).toEqual([]);

    const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const figures = {
      idleP50: Math.round(p50(idle.latencies)),
      idleP99: Math.round(p99(idle.latencies)),
      attackP50: Math.round(p50(underAttack.latencies)),
      attackP99: Math.round(p99(underAttack.latencies)),
      attackerAnswers,
      drainMs,
    };
    console.log("noisy neighbour:", JSON.stringify(figures));
    // B is never refused for A's load, and A did attack (its submits reached the gateway).
    expect(underAttack.statuses.filter((s) => s !== 202)).toEqual([]);
    expect((attackerAnswers[202] ?? 0) + (attackerAnswers[429] ?? 0)).toBeGreaterThan(ATTACK_SUBMITTERS);
    expect(figures.attackP99).toBeLessThanOrEqual(2 * figures.idleP99);
  });
});
