import { describe, expect, it } from "vitest";
import * as apiKeyItem from "@/app/api/v1/api-keys/[id]/route";
import * as apiKeyCollection from "@/app/api/v1/api-keys/route";
import * as auditEvents from "@/app/api/v1/audit-events/route";
import { bearer, callRoute } from "../setup/http";
import { createTestTenant, setupTestDatabase } from "../setup/database";

const db = setupTestDatabase();

describe("tenant isolation through /api/v1", () => {
  it("answers 404 for every tenant-B resource to a tenant-A key, and leaves B untouched", async () => {
    const a = await createTestTenant(db());
    const b = await createTestTenant(db());
    const bKeys = await callRoute(apiKeyCollection.GET, { headers: bearer(b.apiKey) });
    const bKeyId = bKeys.body.data[0].id as string;

    const read = await callRoute(apiKeyItem.GET, { headers: bearer(a.apiKey), params: { id: bKeyId } });
    expect(read.status).toBe(404);
    expect(read.body.error).toBe("not_found");

    const revoke = await callRoute(apiKeyItem.DELETE, {
      method: "DELETE",
      headers: bearer(a.apiKey),
      params: { id: bKeyId },
    });
    expect(revoke.status).toBe(404);
    expect(revoke.body.error).toBe("not_found");

    // B's key still works: the cross-tenant revoke wrote nothing.
    const stillThere = await callRoute(apiKeyItem.GET, { headers: bearer(b.apiKey), params: { id: bKeyId } });
    expect(stillThere.status).toBe(200);
    expect(stillThere.body.revokedAt).toBeNull();

    const aList = await callRoute(apiKeyCollection.GET, { headers: bearer(a.apiKey) });
    expect(aList.body.data.map((k: { id: string }) => k.id)).not.toContain(bKeyId);
    const aAudit = await callRoute(auditEvents.GET, { headers: bearer(a.apiKey) });
    expect(aAudit.status).toBe(200);
    expect(aAudit.body.data.every((e: { target: string }) => e.target !== bKeyId)).toBe(true);
  });

  it("creates in the caller's tenant even when the body names another tenant", async () => {
    const a = await createTestTenant(db());
    const b = await createTestTenant(db());
    const created = await callRoute(apiKeyCollection.POST, {
      method: "POST",
      headers: bearer(a.apiKey),
      json: { name: "sneaky", scopes: ["requests:read"], tenantId: b.tenantId },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^sag_/);
    expect(created.body).not.toHaveProperty("secretHash");
    const bList = await callRoute(apiKeyCollection.GET, { headers: bearer(b.apiKey) });
    expect(bList.body.data.map((k: { name: string }) => k.name)).not.toContain("sneaky");
    const aList = await callRoute(apiKeyCollection.GET, { headers: bearer(a.apiKey) });
    expect(aList.body.data.map((k: { name: string }) => k.name)).toContain("sneaky");
  });
});

describe("API key authentication", () => {
  it("refuses a revoked key, including the key revoking itself", async () => {
    const a = await createTestTenant(db());
    const list = await callRoute(apiKeyCollection.GET, { headers: bearer(a.apiKey) });
    // The key is in use (it just listed the keys): revoking it needs its name typed again.
    const key = list.body.data[0];
    const unconfirmed = await callRoute(apiKeyItem.DELETE, {
      method: "DELETE",
      headers: bearer(a.apiKey),
      params: { id: key.id },
    });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.error).toBe("confirmation_required");
    const revoked = await callRoute(apiKeyItem.DELETE, {
      method: "DELETE",
      headers: bearer(a.apiKey),
      params: { id: key.id },
      json: { confirmName: key.name },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await callRoute(apiKeyCollection.GET, { headers: bearer(a.apiKey) });
    expect(after.status).toBe(401);
    expect(after.body.error).toBe("invalid_api_key");
  });

  it("refuses missing, malformed and forged keys with 401 and a code", async () => {
    const a = await createTestTenant(db());
    const forged = a.apiKey.slice(0, -1) + (a.apiKey.endsWith("A") ? "B" : "A");
    for (const [headers, code] of [
      [{}, "unauthenticated"],
      [{ authorization: "Basic abc" }, "unauthenticated"],
      [bearer(forged), "invalid_api_key"],
      [bearer("sag_short"), "invalid_api_key"],
    ] as const) {
      const response = await callRoute(apiKeyCollection.GET, { headers });
      expect(response.status).toBe(401);
      expect(response.body.error).toBe(code);
    }
  });

  it("enforces scopes: a requests-only key cannot manage API keys", async () => {
    const a = await createTestTenant(db(), ["requests:write", "requests:read"]);
    const response = await callRoute(apiKeyCollection.POST, {
      method: "POST",
      headers: bearer(a.apiKey),
      json: { name: "x", scopes: ["admin"] },
    });
    expect(response.status).toBe(403);
    expect(response.body.error).toBe("insufficient_scope");
  });
});
