import { describe, expect, it } from "vitest";
import * as connectRoute from "@/app/api/console/sandbox/connect/route";
import { listAuthorizers } from "@/db/queries/authorizers";
import { createSigningKey } from "@/db/queries/signing-keys";
import { issueTenantContext } from "@/lib/auth/tenant-context";
import { sandboxEndpoint } from "@/lib/sandbox";
import { createTestTenant, createTestUser, setupTestDatabase } from "../../setup/database";
import { callRoute, sessionHeaders } from "../../setup/http";

const db = setupTestDatabase();
const connect = async (userId: string) =>
  callRoute(connectRoute.POST, {
    method: "POST",
    path: "/api/console/sandbox/connect",
    headers: await sessionHeaders(userId),
  });

describe("POST /api/console/sandbox/connect (the console's one click)", () => {
  it("registers the tenant with the sandbox and adds it as an authorizer by its endpoint URL, idempotently", async () => {
    const tenant = await createTestTenant(db());
    const ctx = issueTenantContext(tenant.tenantId, { type: "user", userId: tenant.owner.id, role: "owner" });
    const key = await createSigningKey(db(), ctx);
    const first = await connect(tenant.owner.id);
    expect(first.status).toBe(201);
    expect(first.body.authorizer).toMatchObject({ name: "sandbox", endpoint: sandboxEndpoint(), isDefault: true });
    expect(first.body.registration).toMatchObject({ spId: first.body.authorizer.spId, keyIds: [key.keyId] });
    expect(first.body.registration.callbackUrlPattern).toBe(
      sandboxEndpoint().replace("/api/sandbox-authorizer", `/api/stepauth/callback/${first.body.authorizer.id}`),
    );
    const again = await connect(tenant.owner.id);
    expect(again).toMatchObject({
      status: 200,
      body: { created: false, authorizer: { id: first.body.authorizer.id } },
    });
    expect((await listAuthorizers(db(), ctx)).map((a) => a.name)).toEqual(["sandbox"]);
  });

  it("refuses viewers, and tenants without a signing key to register", async () => {
    const tenant = await createTestTenant(db());
    const viewer = await createTestUser(db(), tenant.tenantId, "viewer");
    expect(await connect(viewer.id)).toMatchObject({ status: 403, body: { error: "forbidden" } });
    expect(await connect(tenant.owner.id)).toMatchObject({ status: 409, body: { error: "no_signing_key" } });
  });
});
