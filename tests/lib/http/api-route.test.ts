import { describe, expect, it } from "vitest";
import * as unknownApi from "@/app/api/[...path]/route";
import * as apiKeyItem from "@/app/api/v1/api-keys/[id]/route";
import * as apiKeyCollection from "@/app/api/v1/api-keys/route";
import { bearer, callRoute } from "../../setup/http";
import { createTestTenant, setupTestDatabase } from "../../setup/database";

const db = setupTestDatabase();

describe("API error answers", () => {
  it("answers unknown routes and methods with JSON", async () => {
    const unknown = await callRoute(unknownApi.POST, { method: "POST", path: "/api/v1/nothing-here" });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: "not_found", message: "No API route at /api/v1/nothing-here" });
    const wrongMethod = await callRoute(apiKeyCollection.PUT, { method: "PUT" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error).toBe("method_not_allowed");
    expect(wrongMethod.headers.get("allow")).toBe("GET, POST");
  });

  it("refuses malformed, mistyped, invalid and oversized bodies before writing anything", async () => {
    const tenant = await createTestTenant(db());
    const auth = bearer(tenant.apiKey);
    const cases = [
      [{ body: "{not json", headers: { ...auth, "content-type": "application/json" } }, 400, "invalid_json"],
      [
        { body: "name=x", headers: { ...auth, "content-type": "application/x-www-form-urlencoded" } },
        415,
        "unsupported_media_type",
      ],
      [{ json: { name: "", scopes: ["root"] }, headers: auth }, 400, "validation_failed"],
      [{ json: { name: "x".repeat(70_000), scopes: ["admin"] }, headers: auth }, 413, "payload_too_large"],
    ] as const;
    for (const [init, status, code] of cases) {
      const response = await callRoute(apiKeyCollection.POST, { method: "POST", ...init });
      expect(response.status).toBe(status);
      expect(response.body.error).toBe(code);
    }
    const list = await callRoute(apiKeyCollection.GET, { headers: auth });
    expect(list.body.data).toHaveLength(1);
  });

  it("answers 404, not 500, for ids that are not UUIDs", async () => {
    const tenant = await createTestTenant(db());
    const response = await callRoute(apiKeyItem.GET, { headers: bearer(tenant.apiKey), params: { id: "../../etc" } });
    expect(response.status).toBe(404);
    expect(response.body.error).toBe("not_found");
  });

  it("serves a route without dynamic segments, for which Next passes no params", async () => {
    const tenant = await createTestTenant(db());
    const request = new Request("http://gateway.test/api/v1/api-keys", { headers: bearer(tenant.apiKey) });
    const response = await apiKeyCollection.GET(request, { params: Promise.resolve(undefined as never) });
    expect(response.status).toBe(200);
  });
});
