import { describe, expect, it } from "vitest";
import * as activeTenant from "@/app/api/console/active-tenant/route";
import * as members from "@/app/api/console/members/route";
import { memberships } from "@/db/schema";
import { activeTenantCookie } from "@/lib/auth/console-auth";
import { callRoute, origin, sessionHeaders } from "../../../setup/http";
import { createTestTenant, setupTestDatabase } from "../../../setup/database";

const db = setupTestDatabase();

describe("the console's tenant switcher", () => {
  it("switches to a tenant the person belongs to", async () => {
    const home = await createTestTenant(db());
    const other = await createTestTenant(db());
    await db().insert(memberships).values({ tenantId: other.tenantId, userId: home.owner.id, role: "viewer" });
    const switched = await callRoute(activeTenant.POST, {
      method: "POST",
      headers: await sessionHeaders(home.owner.id),
      json: { tenantId: other.tenantId },
    });
    expect(switched.status).toBe(200);
    expect(switched.body).toEqual({ tenantId: other.tenantId, role: "viewer" });
    const cookie = switched.headers.get("set-cookie")!;
    expect(cookie).toContain(`${activeTenantCookie}=${other.tenantId}`);
    expect(cookie).toContain("HttpOnly");
    const list = await callRoute(members.GET, { headers: await sessionHeaders(home.owner.id, cookie.split(";")[0]) });
    expect(list.body.data.map((m: { userId: string }) => m.userId)).toContain(other.owner.id);
  });

  it("refuses a tenant the person is not a member of, and sets no cookie", async () => {
    const mine = await createTestTenant(db());
    const theirs = await createTestTenant(db());
    const headers = await sessionHeaders(mine.owner.id);
    const refused = await callRoute(activeTenant.POST, {
      method: "POST",
      headers,
      json: { tenantId: theirs.tenantId },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe("forbidden");
    expect(refused.headers.get("set-cookie")).toBeNull();
    const malformed = await callRoute(activeTenant.POST, { method: "POST", headers, json: { tenantId: "acme" } });
    expect(malformed.status).toBe(400);
    const anonymous = await callRoute(activeTenant.POST, {
      method: "POST",
      headers: { origin, host: new URL(origin).host },
      json: { tenantId: mine.tenantId },
    });
    expect(anonymous.status).toBe(401);
  });
});
