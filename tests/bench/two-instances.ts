/**
 * Two `next start` instances on one database: submit throughput of one instance beside both under
 * the same 50 clients spread over them, decision callbacks with duplicates sent to either instance,
 * and the check that every approved request was executed exactly once — by the database's execution
 * claims and by the service that received the webhooks. On a 2-core machine the figure shows that
 * the design scales without loss (no lock contention, nothing done twice), not a speed-up.
 */
import { sql } from "drizzle-orm";
import { request } from "undici";
import type { DatabaseHandle } from "../../db/client";
import type { TrustedKey } from "@/lib/stepauth";
import { createGatewayTenant } from "../setup/gateway";
import type { startStubAuthorizer } from "../setup/stub-authorizer";
import { startStubService } from "../setup/stub-service";
import {
  benchBackendPids,
  cpuPerRequest,
  cpuSnapshot,
  load,
  startNextServer,
  type CpuPerRequest,
  type LoadResult,
} from "./http-measure";

type Stub = Awaited<ReturnType<typeof startStubAuthorizer>>;
type Server = Awaited<ReturnType<typeof startNextServer>>;

export async function runTwoInstanceBenchmarks(options: {
  handle: DatabaseHandle;
  databaseUrl: string;
  servers: Server[];
  body: string;
  durationMs: number;
  rounds: number;
  instant: Stub;
  pending: Stub;
  trusted: { instant: TrustedKey[]; pending: TrustedKey[] };
}): Promise<void> {
  const { handle, servers, body, durationMs, instant, pending, trusted } = options;
  const db = handle.db;
  // Approvals execute through each tenant's service webhook: what "executed exactly once" is counted on.
  const secrets = { executing: "", reviewing: "" };
  const services = {
    executing: await startStubService(() => secrets.executing),
    reviewing: await startStubService(() => secrets.reviewing),
  };
  const tenants: Awaited<ReturnType<typeof createGatewayTenant>>[] = [];
  try {
    const appUrl = servers[0]!.url;
    const executing = await createGatewayTenant(db, {
      appUrl,
      authorizers: [{ name: "instant", url: instant.url }],
      webhookUrl: services.executing.url,
    });
    trusted.instant.push(...(await executing.spKeys()));
    tenants.push(executing);
    const reviewing = await createGatewayTenant(db, {
      appUrl,
      authorizers: [{ name: "reviewing", url: pending.url }],
      webhookUrl: services.reviewing.url,
    });
    trusted.pending.push(...(await reviewing.spKeys()));
    tenants.push(reviewing);
    secrets.executing = executing.webhookSecret;
    secrets.reviewing = reviewing.webhookSecret;

    servers.push(await startNextServer(options.databaseUrl));
    const urls = servers.map((s) => `${s.url}/api/v1/authorization-requests`);
    const auth = { authorization: `Bearer ${executing.apiKey}` };
    await load(urls, auth, () => body, 1500);
    const measure = async (targets: string[]): Promise<{ result: LoadResult; cpu: CpuPerRequest }> => {
      const pids = servers.map((s) => s.pid);
      const backends = await benchBackendPids(db);
      const before = cpuSnapshot(pids, backends);
      const result = await load(targets, auth, () => body, durationMs);
      return { result, cpu: cpuPerRequest(before, cpuSnapshot(pids, backends), result.requests) };
    };
    const rounds: {
      one: Awaited<ReturnType<typeof measure>>;
      two: Awaited<ReturnType<typeof measure>>;
      ratio: number;
    }[] = [];
    for (let i = 0; i < options.rounds; i += 1) {
      const one = await measure([urls[0]!]);
      const two = await measure(urls);
      rounds.push({ one, two, ratio: two.result.perSecond / one.result.perSecond });
    }
    const middle = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)]!;

    // Decision callbacks: 400 pending requests submitted through either instance, each decision sent 3×, to either instance.
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async (_, client) => {
        for (let i = 0; i < 40; i += 1) {
          const r = await request(urls[client % urls.length]!, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${reviewing.apiKey}` },
            body,
          });
          ids.push(((await r.body.json()) as { requestId: string }).requestId);
        }
      }),
    );
    const envelopes = ids.flatMap((id) => {
      const e = JSON.stringify(pending.decide(id, "approved"));
      return [e, e, e];
    });
    let next = 0;
    const callbackUrls = servers.map((s) => `${s.url}/api/stepauth/callback/${reviewing.authorizers.reviewing!.id}`);
    const callbacks = await load(callbackUrls, {}, () => envelopes[next++ % envelopes.length]!, durationMs);

    const row = (label: string, m: { result: LoadResult; cpu?: CpuPerRequest }, note = "") => ({
      path: label,
      "req/s": Math.round(m.result.perSecond),
      "p50 ms": m.result.p50.toFixed(1),
      "p99 ms": m.result.p99.toFixed(1),
      errors: m.result.errors,
      statuses: JSON.stringify(m.result.statuses),
      "server µs": m.cpu?.server ?? "—",
      "postgres µs": m.cpu?.postgres ?? "—",
      note,
    });
    console.log(
      `\n  two instances on one database (service webhook on: every approval executes); median of ${rounds.length} rounds`,
    );
    console.table([
      row("submit (decides at once), one instance", middle.one),
      row(
        "submit (decides at once), two instances",
        middle.two,
        `${middle.ratio.toFixed(2)}× one instance (rounds: ${rounds.map((r) => r.ratio.toFixed(2)).join(", ")})`,
      ),
      row("callbacks (each decision 3×, to either instance)", { result: callbacks }, `${ids.length} pending requests`),
    ]);
    await waitForDeliveries(
      db,
      tenants.map((t) => t.tenantId),
    );
    for (const [label, tenant, service] of [
      ["submit", executing, services.executing],
      ["callback", reviewing, services.reviewing],
    ] as const) {
      const check = await exactlyOnce(db, tenant.tenantId, service.state.executions);
      const met =
        check.approved > 0 &&
        check.missing === 0 &&
        check.twice === 0 &&
        check.serviceTwice === 0 &&
        check.serviceMissing === 0;
      console.log(
        `  exactly once (${label} decisions): ${check.approved} approved → ${check.claims} execution claims, ${check.executedByService} executed by the service; ` +
          `${check.missing} without a claim, ${check.twice} claimed twice, ${check.serviceMissing} never executed, ${check.serviceTwice} executed twice: ${met ? "met" : "NOT met"}`,
      );
    }
  } finally {
    await Promise.all([services.executing.close(), services.reviewing.close()]);
  }
}

/** Deliveries that failed or raced run again in the background: wait until none is left (at most a minute). */
async function waitForDeliveries(db: DatabaseHandle["db"], tenantIds: string[]): Promise<void> {
  for (let i = 0; i < 240; i += 1) {
    const result = await db.execute(
      sql`select count(*)::int as n from jobs where kind = 'deliver' and tenant_id in (${sql.join(
        tenantIds.map((t) => sql`${t}::uuid`),
        sql`, `,
      )})`,
    );
    if ((result as unknown as { rows: { n: number }[] }).rows[0]?.n === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log("  (webhook deliveries still queued after a minute)");
}

/** Per approved request: its execution claims in the database, and how often the service executed it. */
async function exactlyOnce(db: DatabaseHandle["db"], tenantId: string, executed: Map<string, number>) {
  const result =
    await db.execute(sql`select r.request_id as id, count(e.request_id)::int as claims from authorization_requests r
    left join executions e on e.request_id = r.request_id where r.tenant_id = ${tenantId} and r.status = 'approved' group by r.request_id`);
  const rows = (result as unknown as { rows: { id: string; claims: number }[] }).rows;
  return {
    approved: rows.length,
    claims: rows.reduce((sum, r) => sum + r.claims, 0),
    missing: rows.filter((r) => r.claims === 0).length,
    twice: rows.filter((r) => r.claims > 1).length,
    executedByService: rows.filter((r) => executed.has(r.id)).length,
    serviceMissing: rows.filter((r) => !executed.has(r.id)).length,
    serviceTwice: rows.filter((r) => (executed.get(r.id) ?? 0) > 1).length,
  };
}
