import { afterEach, describe, expect, it } from "vitest";
import * as auditVerify from "@/app/api/v1/audit/verify/route";
import { recordAuditEvent } from "@/db/queries/audit";
import { sealTenant } from "../../setup/audit-world";
import { setupTestDatabase } from "../../setup/database";
import { api, createGatewayTenant, drainJobs, setupAppServer, wipeRequest } from "../../setup/gateway";
import { startStubAuthorizer, type StubMode } from "../../setup/stub-authorizer";
import type { TrustedKey } from "@/lib/stepauth";

const db = setupTestDatabase();
const appUrl = setupAppServer({ "/api/v1/audit/verify": auditVerify });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

// Every way a request reaches its final state must leave a row that agrees with its sealed timeline.
async function tenantWith(mode: StubMode, policy: "fail_closed" | "fail_open" = "fail_closed") {
  let keys: TrustedKey[] = [];
  const stub = await startStubAuthorizer({ mode, trustedSpKeys: () => keys });
  cleanups.push(stub.close);
  const tenant = await createGatewayTenant(db(), {
    appUrl: appUrl(),
    authorizers: [{ name: "default", url: stub.url }],
    unavailabilityPolicy: policy,
    maxAttempts: 1,
  });
  keys = await tenant.spKeys();
  const submit = async () =>
    (await api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest())).body
      .requestId as string;
  const verify = async () => {
    await drainJobs(db());
    await sealTenant(db(), tenant.tenantId);
    return (await api(appUrl(), tenant.apiKey, "GET", "/api/v1/audit/verify")).body;
  };
  return { tenant, stub, submit, verify };
}

describe("verify accepts every legitimate way to a final state", () => {
  it("denied in the submit answer, approved and denied by callback, cancelled, and still pending", async () => {
    const denying = await tenantWith("deny");
    await denying.submit();
    expect(await denying.verify()).toMatchObject({ ok: true });

    const w = await tenantWith("pending");
    const [approved, denied, cancelled] = [await w.submit(), await w.submit(), await w.submit()];
    await w.submit(); // stays pending
    w.stub.decide(approved, "approved");
    await w.stub.callBack(approved);
    w.stub.decide(denied, "denied");
    await w.stub.callBack(denied);
    expect(
      (await api(appUrl(), w.tenant.apiKey, "POST", `/api/v1/authorization-requests/${cancelled}/cancel`)).status,
    ).toBe(200);
    await recordAuditEvent(db(), w.tenant.ctx, { action: "authorizer.updated", target: "default" });
    expect(await w.verify()).toMatchObject({ ok: true, unsealedEntries: 0 });
  });

  it("fails closed and fails open when the authorizer is unavailable", async () => {
    const closed = await tenantWith("unavailable");
    await closed.submit();
    expect(await closed.verify()).toMatchObject({ ok: true });
    const open = await tenantWith("unavailable", "fail_open");
    await open.submit();
    expect(await open.verify()).toMatchObject({ ok: true });
  });
});
