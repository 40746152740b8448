import { describe, expect, it } from "vitest";
import * as authorizer from "@/app/api/console/authorizers/[name]/route";
import * as authorizers from "@/app/api/console/authorizers/route";
import * as restore from "@/app/api/console/routing/versions/[id]/restore/route";
import * as versions from "@/app/api/console/routing/versions/route";
import * as settings from "@/app/api/console/settings/route";
import { setupTestDatabase } from "../../../setup/database";
import { callRoute } from "../../../setup/http";
import { authorizerBody } from "../v1/authorizer-fixtures";
import { createConsoleTenant } from "./console-fixtures";

// Issue 18 item 5: saved routing script versions with who and when, and restoring one.
const db = setupTestDatabase();

async function tenantWithTwoVersions() {
  const t = await createConsoleTenant(db());
  await callRoute(authorizers.POST, { method: "POST", headers: t.owner, json: authorizerBody("security") });
  await callRoute(authorizers.POST, { method: "POST", headers: t.owner, json: authorizerBody("finance") });
  await callRoute(settings.PUT, { method: "PUT", headers: t.owner, json: { routingScript: '["security"]' } });
  await callRoute(settings.PUT, { method: "PUT", headers: t.admin, json: { routingScript: '["finance"]' } });
  await callRoute(settings.PUT, { method: "PUT", headers: t.owner, json: { defaultExpiresIn: 900 } });
  return t;
}

describe("GET /api/console/routing/versions and POST …/{id}/restore", () => {
  it("lists each saved script newest first with who saved it, and nothing from other settings changes", async () => {
    const t = await tenantWithTwoVersions();
    const listed = await callRoute(versions.GET, { headers: t.viewer });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((v: { script: string }) => v.script)).toEqual(['["finance"]', '["security"]']);
    expect(listed.body.data[0].savedBy).toMatchObject({
      kind: "user",
      name: "Test admin",
      email: expect.stringContaining("@"),
    });
    expect(listed.body.data[1].savedBy).toMatchObject({ kind: "user", name: "Test owner" });
    expect(Date.parse(listed.body.data[0].savedAt)).toBeGreaterThan(0);
  });

  it("restores an earlier version as the current script, and records it as a new version from that one", async () => {
    const t = await tenantWithTwoVersions();
    const [, first] = (await callRoute(versions.GET, { headers: t.admin })).body.data;
    const restored = await callRoute(restore.POST, { method: "POST", headers: t.admin, params: { id: first.id } });
    expect(restored).toMatchObject({ status: 200, body: { routingScript: '["security"]', restoredFrom: first.id } });
    expect((await callRoute(settings.GET, { headers: t.viewer })).body.routingScript).toBe('["security"]');
    const [latest] = (await callRoute(versions.GET, { headers: t.admin })).body.data;
    expect(latest).toMatchObject({ script: '["security"]', restoredFrom: first.id });
  });

  it("refuses viewers, another tenant's versions, and a version naming an authorizer that is gone", async () => {
    const t = await tenantWithTwoVersions();
    const other = await createConsoleTenant(db());
    const [latest] = (await callRoute(versions.GET, { headers: t.admin })).body.data;
    expect(
      await callRoute(restore.POST, { method: "POST", headers: t.viewer, params: { id: latest.id } }),
    ).toMatchObject({ status: 403, body: { error: "forbidden" } });
    expect(
      await callRoute(restore.POST, { method: "POST", headers: other.owner, params: { id: latest.id } }),
    ).toMatchObject({ status: 404, body: { error: "not_found" } });
    expect((await callRoute(versions.GET, { headers: other.owner })).body.data).toEqual([]);
    expect(
      await callRoute(restore.POST, { method: "POST", headers: t.admin, params: { id: "not-a-uuid" } }),
    ).toMatchObject({ status: 404 });

    await callRoute(settings.PUT, { method: "PUT", headers: t.admin, json: { routingScript: '["security"]' } });
    expect(
      (await callRoute(authorizer.DELETE, { method: "DELETE", headers: t.owner, params: { name: "finance" } })).status,
    ).toBe(204);
    const stale = await callRoute(restore.POST, { method: "POST", headers: t.admin, params: { id: latest.id } });
    expect(stale).toMatchObject({ status: 400, body: { error: "invalid_routing_script" } });
    expect((await callRoute(settings.GET, { headers: t.viewer })).body.routingScript).toBe('["security"]');
  });
});
