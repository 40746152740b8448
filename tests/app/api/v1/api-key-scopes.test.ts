import { describe, expect, it } from "vitest";
import * as consoleApiKeys from "@/app/api/console/api-keys/route";
import * as apiKeyCollection from "@/app/api/v1/api-keys/route";
import { grantableScopes } from "@/lib/auth/permissions";
import { issueTenantContext } from "@/lib/auth/tenant-context";
import { bearer, callRoute, sessionHeaders } from "../../../setup/http";
import { createTestTenant, createTestUser, setupTestDatabase } from "../../../setup/database";

const db = setupTestDatabase();

describe("API keys grant only scopes their creator holds", () => {
  it("refuses an admin-only key minting requests:* keys, and writes nothing", async () => {
    const t = await createTestTenant(db(), ["admin"]);
    for (const scopes of [["requests:read"], ["requests:write"], ["admin", "requests:write"]]) {
      const response = await callRoute(apiKeyCollection.POST, {
        method: "POST",
        headers: bearer(t.apiKey),
        json: { name: "escalate", scopes },
      });
      expect(response.status).toBe(403);
      expect(response.body.error).toBe("insufficient_scope");
    }
    const list = await callRoute(apiKeyCollection.GET, { headers: bearer(t.apiKey) });
    expect(list.body.data).toHaveLength(1);
    const same = await callRoute(apiKeyCollection.POST, {
      method: "POST",
      headers: bearer(t.apiKey),
      json: { name: "peer", scopes: ["admin"] },
    });
    expect(same.status).toBe(201);
    expect(same.body.scopes).toEqual(["admin"]);
  });

  it("lets a key with every scope grant any of them", async () => {
    const t = await createTestTenant(db());
    const response = await callRoute(apiKeyCollection.POST, {
      method: "POST",
      headers: bearer(t.apiKey),
      json: { name: "submitter", scopes: ["requests:write", "requests:read"] },
    });
    expect(response.status).toBe(201);
  });

  it("maps console roles to the scopes they may grant", () => {
    const of = (role: "viewer" | "admin" | "owner") =>
      grantableScopes(issueTenantContext("t", { type: "user", userId: "u", role }));
    expect(of("viewer")).toEqual(["requests:read"]);
    expect(of("admin")).toEqual(["requests:write", "requests:read"]);
    expect(of("owner")).toEqual(["requests:write", "requests:read", "admin"]);
  });

  it("lets an owner session grant every scope and refuses a viewer", async () => {
    const t = await createTestTenant(db());
    const owner = await callRoute(consoleApiKeys.POST, {
      method: "POST",
      headers: await sessionHeaders(t.owner.id),
      json: { name: "all", scopes: ["admin", "requests:read", "requests:write"] },
    });
    expect(owner.status).toBe(201);
    const viewer = await createTestUser(db(), t.tenantId, "viewer");
    const refused = await callRoute(consoleApiKeys.POST, {
      method: "POST",
      headers: await sessionHeaders(viewer.id),
      json: { name: "x", scopes: ["requests:read"] },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe("forbidden");
  });
});
