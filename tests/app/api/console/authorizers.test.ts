import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as collection from "@/app/api/console/authorizers/route";
import * as item from "@/app/api/console/authorizers/[name]/route";
import * as testRequest from "@/app/api/console/authorizers/[name]/test-request/route";
import { setupTestDatabase } from "../../../setup/database";
import { callRoute } from "../../../setup/http";
import { authorizerKey, startStubAuthorizer, type StubAuthorizer } from "../../../setup/stub-authorizer";
import { authorizerBody } from "../v1/authorizer-fixtures";
import { createConsoleTenant } from "./console-fixtures";

const db = setupTestDatabase();
let stub: StubAuthorizer;
let trusted: Awaited<ReturnType<Awaited<ReturnType<typeof createConsoleTenant>>["spKeys"]>> = [];
beforeAll(async () => {
  stub = await startStubAuthorizer({ mode: "approve", trustedSpKeys: () => trusted });
});
afterAll(async () => stub?.close());

describe("console authorizer routes", () => {
  it("lets an admin add authorizers, move the default and delete, with the callback URL in every view", async () => {
    const t = await createConsoleTenant(db());
    const first = await callRoute(collection.POST, {
      method: "POST",
      headers: t.admin,
      json: authorizerBody("primary"),
    });
    expect(first.status).toBe(201);
    expect(first.body.isDefault).toBe(true);
    expect(
      (await callRoute(collection.POST, { method: "POST", headers: t.admin, json: authorizerBody("backup") })).status,
    ).toBe(201);

    const moved = await callRoute(item.PATCH, {
      method: "PATCH",
      headers: t.admin,
      params: { name: "backup" },
      json: { isDefault: true },
    });
    expect(moved.status).toBe(200);
    const list = await callRoute(collection.GET, { headers: t.viewer });
    expect(list.body.data.filter((a: any) => a.isDefault).map((a: any) => a.name)).toEqual(["backup"]);
    expect(list.body.data[0].callbackUrl).toMatch(new RegExp(`/api/stepauth/callback/${first.body.id}$`));

    const disableDefault = await callRoute(item.PATCH, {
      method: "PATCH",
      headers: t.admin,
      params: { name: "backup" },
      json: { enabled: false },
    });
    expect(disableDefault.body.error).toBe("conflict");
    expect(
      (await callRoute(item.DELETE, { method: "DELETE", headers: t.admin, params: { name: "primary" } })).status,
    ).toBe(204);
    expect((await callRoute(item.GET, { headers: t.viewer, params: { name: "primary" } })).body.error).toBe(
      "not_found",
    );
  });

  it("refuses every change from a viewer, and a malformed body with its field", async () => {
    const t = await createConsoleTenant(db());
    await callRoute(collection.POST, { method: "POST", headers: t.owner, json: authorizerBody("only") });
    const attempts = await Promise.all([
      callRoute(collection.POST, { method: "POST", headers: t.viewer, json: authorizerBody("sneaky") }),
      callRoute(item.PATCH, {
        method: "PATCH",
        headers: t.viewer,
        params: { name: "only" },
        json: { endpoint: "https://evil.example.com" },
      }),
      callRoute(item.DELETE, { method: "DELETE", headers: t.viewer, params: { name: "only" } }),
      callRoute(testRequest.POST, { method: "POST", headers: t.viewer, params: { name: "only" } }),
    ]);
    for (const response of attempts) expect(response.body.error).toBe("forbidden");
    const bad = await callRoute(collection.POST, {
      method: "POST",
      headers: t.admin,
      json: { ...authorizerBody("x"), endpoint: "ftp://nope" },
    });
    expect(bad.body.error).toBe("validation_failed");
    expect(bad.body.details[0].path).toBe("endpoint");
  });

  it("answers 404 for another tenant's authorizer, whatever the method", async () => {
    const mine = await createConsoleTenant(db());
    const theirs = await createConsoleTenant(db());
    await callRoute(collection.POST, { method: "POST", headers: theirs.owner, json: authorizerBody("theirs") });
    const params = { name: "theirs" };
    expect((await callRoute(item.GET, { headers: mine.owner, params })).status).toBe(404);
    expect(
      (await callRoute(item.PATCH, { method: "PATCH", headers: mine.owner, params, json: { enabled: false } })).status,
    ).toBe(404);
    expect((await callRoute(item.DELETE, { method: "DELETE", headers: mine.owner, params })).status).toBe(404);
    expect((await callRoute(testRequest.POST, { method: "POST", headers: mine.owner, params })).status).toBe(404);
    expect((await callRoute(collection.GET, { headers: mine.owner })).body.data).toEqual([]);
  });

  it("sends a signed test request and shows the verified decision, or the authorizer's refusal", async () => {
    const t = await createConsoleTenant(db());
    const publicKeys = [{ keyId: authorizerKey.keyId, algorithm: "ed25519", publicKey: authorizerKey.publicKey }];
    await callRoute(collection.POST, {
      method: "POST",
      headers: t.owner,
      json: authorizerBody("stub", { endpoint: stub.url, publicKeys }),
    });

    trusted = [];
    const refused = await callRoute(testRequest.POST, { method: "POST", headers: t.admin, params: { name: "stub" } });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ outcome: "failed", error: { code: "invalid_signature", kind: "rejected" } });
    expect(refused.body.attempts).toEqual([expect.objectContaining({ call: "submit", status: 401 })]);

    trusted = await t.spKeys();
    const approved = await callRoute(testRequest.POST, { method: "POST", headers: t.admin, params: { name: "stub" } });
    expect(approved.body).toMatchObject({
      outcome: "decided",
      decision: { decision: "approved", keyId: authorizerKey.keyId },
    });
    expect(stub.state.received.get(approved.body.requestId)?.callbackUrl).toBeUndefined();
  });
});
