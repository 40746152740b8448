import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { request as undiciRequest } from "undici";
import { runDueJobs } from "@/lib/jobs/job-runner";
import { setupTestDatabase } from "../setup/database";
import { api, createGatewayTenant, setupAppServer, wipeRequest } from "../setup/gateway";
import { startStubAuthorizer } from "../setup/stub-authorizer";
import { startStubService } from "../setup/stub-service";

const db = setupTestDatabase();
const appUrl = setupAppServer();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function pendingRequest() {
  let keys: any[] = [];
  const stub = await startStubAuthorizer({ trustedSpKeys: () => keys });
  let secret = "";
  const service = await startStubService(() => secret);
  cleanups.push(stub.close, service.close);
  const tenant = await createGatewayTenant(db(), {
    appUrl: appUrl(),
    authorizers: [{ name: "default", url: stub.url }],
    webhookUrl: service.url,
  });
  secret = tenant.webhookSecret;
  keys = await tenant.spKeys();
  const submitted = await api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest());
  return { stub, service, tenant, id: submitted.body.requestId as string };
}

async function countExecutions(requestId: string): Promise<number> {
  const result = await db().execute(sql`select count(*)::int as n from executions where request_id = ${requestId}`);
  return (result as unknown as { rows: { n: number }[] }).rows[0]!.n;
}

describe("an approval executes at most once", () => {
  it("when the same decision is delivered 50 times concurrently", async () => {
    const { stub, service, tenant, id } = await pendingRequest();
    const envelope = stub.decide(id, "approved");
    const url = `${appUrl()}/api/stepauth/callback/${tenant.authorizers.default!.id}`;
    const answers = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const response = await undiciRequest(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(envelope),
        });
        return { status: response.statusCode, body: (await response.body.json()) as any };
      }),
    );
    expect(answers.every((a) => a.status === 200 && a.body.requestId === id)).toBe(true);
    expect(answers.filter((a) => a.body.status === "success").length).toBeGreaterThan(0);
    expect(service.state.executions.get(id)).toBe(1);
    expect(service.state.deliveries.filter((d) => d.body.data.execute)).toHaveLength(1);
    expect(await countExecutions(id)).toBe(1);
    const view = await api(appUrl(), tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}`);
    expect(view.body.events.filter((e: any) => e.type === "decision_accepted")).toHaveLength(1);
    expect(view.body.events.filter((e: any) => e.type === "decision_duplicate")).toHaveLength(49);
  });

  it("when the decision arrives by callback and by poll at the same moment, and claims race too", async () => {
    const { stub, service, tenant, id } = await pendingRequest();
    const envelope = stub.decide(id, "approved");
    await db().execute(sql`update jobs set run_at = now() where request_id = ${id} and kind = 'poll'`);
    const url = `${appUrl()}/api/stepauth/callback/${tenant.authorizers.default!.id}`;
    await Promise.all([
      ...Array.from({ length: 10 }, () =>
        undiciRequest(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(envelope),
        }).then((r) => r.body.dump()),
      ),
      runDueJobs(db(), 8),
      runDueJobs(db(), 8),
      ...Array.from({ length: 10 }, () =>
        api(appUrl(), tenant.apiKey, "POST", `/api/v1/authorization-requests/${id}/execution`),
      ),
    ]);
    expect(service.state.executions.get(id)).toBe(1);
    expect(await countExecutions(id)).toBe(1);
  });
});
