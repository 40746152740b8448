import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as auditVerify from "@/app/api/v1/audit/verify/route";
import { admitTenantRequest, tenantLoadOf } from "@/lib/fairness/tenant-fair-share";
import { setupTestDatabase } from "../../../setup/database";
import { api, createGatewayTenant, setupAppServer, wipeRequest } from "../../../setup/gateway";
import { startStubAuthorizer } from "../../../setup/stub-authorizer";

// Issue 12: only the request long-poll takes no fair share (it has its own caps and waiting costs
// nothing). Any other GET pays its share, whatever its query string says: `?wait=` is not a pass.
const db = setupTestDatabase();
const appUrl = setupAppServer({ "/api/v1/audit/verify": auditVerify });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const saved = { inFlight: process.env.TENANT_MAX_IN_FLIGHT, queued: process.env.TENANT_MAX_QUEUED };
beforeAll(() => {
  process.env.TENANT_MAX_IN_FLIGHT = "1";
  process.env.TENANT_MAX_QUEUED = "1";
});
afterAll(() => {
  for (const [name, value] of [
    ["TENANT_MAX_IN_FLIGHT", saved.inFlight],
    ["TENANT_MAX_QUEUED", saved.queued],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("fair share: who opts out", () => {
  it("a GET with ?wait= on another route is admitted like any request; the request long-poll is not", async () => {
    let keys: any[] = [];
    const stub = await startStubAuthorizer({ mode: "pending", trustedSpKeys: () => keys });
    cleanups.push(stub.close);
    const tenant = await createGatewayTenant(db(), {
      appUrl: appUrl(),
      authorizers: [{ name: "default", url: stub.url }],
    });
    keys = await tenant.spKeys();
    const id = (await api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest())).body
      .requestId as string;

    // The tenant's one slot is taken and its one queue place too: any request that takes a share is refused.
    const running = await admitTenantRequest(tenant.tenantId);
    const waiting = admitTenantRequest(tenant.tenantId);
    cleanups.push(async () => {
      running();
      (await waiting)();
    });
    expect(tenantLoadOf(tenant.tenantId)).toEqual({ inFlight: 1, queued: 1 });

    for (const path of ["/api/v1/audit/verify", "/api/v1/audit/verify?wait=1", "/api/v1/audit/verify?wait=30"]) {
      const answer = await api(appUrl(), tenant.apiKey, "GET", path);
      expect(answer.status, path).toBe(429);
      expect(answer.body.error, path).toBe("rate_limited");
    }
    const polled = await api(appUrl(), tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}?wait=1`);
    expect(polled.status).toBe(200);
    expect(polled.body.status).toBe("pending");
    // Without a wait, the same route is an ordinary read and takes its share.
    expect((await api(appUrl(), tenant.apiKey, "GET", `/api/v1/authorization-requests/${id}`)).status).toBe(429);
  });
});
