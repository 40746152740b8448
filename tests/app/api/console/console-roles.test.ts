import { describe, expect, it } from "vitest";
import * as apiKeys from "@/app/api/console/api-keys/route";
import * as memberItem from "@/app/api/console/members/[userId]/route";
import * as members from "@/app/api/console/members/route";
import { activeTenantCookie } from "@/lib/auth/console-auth";
import { callRoute, origin, sessionHeaders } from "../../../setup/http";
import { createTestTenant, createTestUser, unique, setupTestDatabase } from "../../../setup/database";

const db = setupTestDatabase();

describe("console roles, checked by the server", () => {
  it("lets a viewer read but refuses every configuration change", async () => {
    const tenant = await createTestTenant(db());
    const viewer = await createTestUser(db(), tenant.tenantId, "viewer");
    const headers = await sessionHeaders(viewer.id);

    expect((await callRoute(apiKeys.GET, { headers })).status).toBe(200);
    expect((await callRoute(members.GET, { headers })).status).toBe(200);

    const attempts = [
      callRoute(apiKeys.POST, { method: "POST", headers, json: { name: "x", scopes: ["admin"] } }),
      callRoute(members.POST, {
        method: "POST",
        headers,
        json: {
          email: `${unique("m")}@example.test`,
          name: "M",
          role: "owner",
          initialPassword: "long-enough-password",
        },
      }),
      callRoute(memberItem.PATCH, { method: "PATCH", headers, params: { userId: viewer.id }, json: { role: "owner" } }),
      callRoute(memberItem.DELETE, { method: "DELETE", headers, params: { userId: tenant.owner.id } }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(403);
      expect(response.body.error).toBe("forbidden");
    }
    const after = await callRoute(members.GET, { headers });
    expect(after.body.data.find((m: { userId: string }) => m.userId === viewer.id).role).toBe("viewer");
    expect(after.body.data).toHaveLength(2);
  });

  it("lets an admin configure but not manage members; an owner manages members", async () => {
    const tenant = await createTestTenant(db());
    const admin = await createTestUser(db(), tenant.tenantId, "admin");
    const adminHeaders = await sessionHeaders(admin.id);
    const promote = await callRoute(memberItem.PATCH, {
      method: "PATCH",
      headers: adminHeaders,
      params: { userId: admin.id },
      json: { role: "owner" },
    });
    expect(promote.status).toBe(403);

    const ownerHeaders = await sessionHeaders(tenant.owner.id);
    const added = await callRoute(members.POST, {
      method: "POST",
      headers: ownerHeaders,
      json: {
        email: `${unique("new")}@example.test`,
        name: "New Person",
        role: "viewer",
        initialPassword: "long-enough-password",
      },
    });
    expect(added.status).toBe(201);
    const demoteLastOwner = await callRoute(memberItem.PATCH, {
      method: "PATCH",
      headers: ownerHeaders,
      params: { userId: tenant.owner.id },
      json: { role: "viewer", confirmEmail: tenant.owner.email },
    });
    expect(demoteLastOwner.status).toBe(409);
    expect(demoteLastOwner.body.error).toBe("conflict");
  });

  it("ignores a tenant cookie naming a tenant the user does not belong to", async () => {
    const mine = await createTestTenant(db());
    const theirs = await createTestTenant(db());
    const headers = await sessionHeaders(mine.owner.id, `${activeTenantCookie}=${theirs.tenantId}`);
    const list = await callRoute(members.GET, { headers });
    expect(list.status).toBe(200);
    expect(list.body.data.map((m: { userId: string }) => m.userId)).toEqual([mine.owner.id]);
    const removeTheirOwner = await callRoute(memberItem.DELETE, {
      method: "DELETE",
      headers,
      params: { userId: theirs.owner.id },
    });
    expect(removeTheirOwner.status).toBe(404);
  });

  it("refuses requests without a session, with a forged session, and cross-origin mutations", async () => {
    const tenant = await createTestTenant(db());
    expect((await callRoute(apiKeys.GET)).body.error).toBe("unauthenticated");
    const forged = { cookie: "authjs.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0..forged" };
    expect((await callRoute(apiKeys.GET, { headers: forged })).status).toBe(401);
    const headers = { ...(await sessionHeaders(tenant.owner.id)), origin: "https://evil.example" };
    const response = await callRoute(apiKeys.POST, { method: "POST", headers, json: { name: "x", scopes: ["admin"] } });
    expect(response.status).toBe(403);
    expect(response.body.error).toBe("forbidden");
    expect(origin).not.toBe("https://evil.example");
  });
});
