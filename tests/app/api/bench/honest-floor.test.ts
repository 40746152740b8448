import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as honestFloor from "@/app/api/bench/honest-floor/route";
import { setupTestDatabase } from "../../../setup/database";
import { api, createGatewayTenant, setupAppServer, wipeRequest } from "../../../setup/gateway";
import { startStubAuthorizer, type StubMode } from "../../../setup/stub-authorizer";

const db = setupTestDatabase();
const appUrl = setupAppServer({ "/api/bench/honest-floor": honestFloor });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function world(mode: StubMode) {
  let keys: any[] = [];
  const stub = await startStubAuthorizer({ mode, trustedSpKeys: () => keys });
  cleanups.push(stub.close);
  const tenant = await createGatewayTenant(db(), { appUrl: appUrl(), authorizers: [{ name: "bench", url: stub.url }] });
  keys = await tenant.spKeys();
  const floor = (body: unknown = wipeRequest(), apiKey = tenant.apiKey) =>
    api(appUrl(), apiKey, "POST", "/api/bench/honest-floor", body);
  const row = async (requestId: string) => {
    const result = await db().execute(
      sql`select status, tenant_id, decision_envelope is not null as has_envelope from authorization_requests where request_id = ${requestId}`,
    );
    return (result as unknown as { rows: { status: string; tenant_id: string; has_envelope: boolean }[] }).rows[0];
  };
  return { stub, tenant, floor, row };
}

describe("the honest floor route of `npm run bench`", () => {
  describe("without BENCH_FLOOR_ROUTE", () => {
    it("does not exist: 404 as JSON, before any API key is looked at", async () => {
      const w = await world("pending");
      for (const apiKey of [w.tenant.apiKey, "sag_not_a_key"]) {
        const answer = await w.floor(wipeRequest(), apiKey);
        expect(answer.status).toBe(404);
        expect(answer.body.error).toBe("not_found");
      }
      expect(w.stub.state.received.size).toBe(0);
    });
  });

  describe("with BENCH_FLOOR_ROUTE=true", () => {
    beforeAll(() => {
      process.env.BENCH_FLOOR_ROUTE = "true";
    });
    afterAll(() => {
      delete process.env.BENCH_FLOOR_ROUTE;
    });

    it("records the request, sends it signed to the authorizer once and records its pending answer", async () => {
      const w = await world("pending");
      const answer = await w.floor();
      expect(answer.status).toBe(202);
      expect(answer.body.status).toBe("pending");
      const received = w.stub.state.received.get(answer.body.requestId);
      expect(received?.spId).toBe(w.tenant.authorizers.bench!.spId);
      expect(w.stub.state.calls).toHaveLength(1);
      expect(await w.row(answer.body.requestId)).toEqual({
        status: "pending",
        tenant_id: w.tenant.tenantId,
        has_envelope: false,
      });
    });

    it("records a decision the authorizer answers at once, with its envelope", async () => {
      const w = await world("approve");
      const answer = await w.floor();
      expect(answer.status).toBe(200);
      expect(await w.row(answer.body.requestId)).toEqual({
        status: "approved",
        tenant_id: w.tenant.tenantId,
        has_envelope: true,
      });
    });

    it("an approval the floor recorded (unverified) can never be claimed or executed", async () => {
      const w = await world("approve");
      const { requestId } = (await w.floor()).body;
      const execution = `/api/v1/authorization-requests/${requestId}/execution`;
      const claimed = await api(appUrl(), w.tenant.apiKey, "POST", execution);
      expect(claimed.status).toBe(409);
      expect(claimed.body.error).toBe("not_approved");
      expect((await api(appUrl(), w.tenant.apiKey, "POST", execution, { status: "success" })).status).toBe(409);
      const count = await db().execute(sql`select count(*)::int as n from executions where request_id = ${requestId}`);
      expect((count as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
    });

    it("still requires an API key and validates the body before it touches the database", async () => {
      const w = await world("pending");
      expect((await w.floor(wipeRequest(), "sag_not_a_key")).status).toBe(401);
      const invalid = await w.floor({ principal: { type: "robot" }, action: {} });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error).toBe("validation_failed");
      expect(w.stub.state.received.size).toBe(0);
    });
  });
});
