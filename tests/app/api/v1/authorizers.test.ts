import { afterEach, describe, expect, it } from "vitest";
import * as authorizerItem from "@/app/api/v1/authorizers/[name]/route";
import * as authorizerCollection from "@/app/api/v1/authorizers/route";
import * as apiKeyCollection from "@/app/api/v1/api-keys/route";
import * as auditEvents from "@/app/api/v1/audit-events/route";
import { generateKeyPair } from "@/lib/stepauth";
import { bearer, callRoute } from "../../../setup/http";
import { createTestTenant, setupTestDatabase } from "../../../setup/database";
import { authorizerBody, createAuthorizerThroughApi } from "./authorizer-fixtures";

const db = setupTestDatabase();

const create = (apiKey: string, json: unknown) =>
  callRoute(authorizerCollection.POST, { method: "POST", headers: bearer(apiKey), json });
const list = async (apiKey: string) =>
  (await callRoute(authorizerCollection.GET, { headers: bearer(apiKey) })).body.data as any[];
const get = (apiKey: string, name: string) =>
  callRoute(authorizerItem.GET, { headers: bearer(apiKey), params: { name } });
const patch = (apiKey: string, name: string, json: unknown) =>
  callRoute(authorizerItem.PATCH, { method: "PATCH", headers: bearer(apiKey), params: { name }, json });
const remove = (apiKey: string, name: string) =>
  callRoute(authorizerItem.DELETE, { method: "DELETE", headers: bearer(apiKey), params: { name } });
const defaults = async (apiKey: string) => (await list(apiKey)).filter((a) => a.isDefault).map((a) => a.name);

describe("/api/v1/authorizers", () => {
  it("creates, reads, lists and updates an authorizer; the first one becomes the default", async () => {
    const t = await createTestTenant(db());
    const created = await create(
      t.apiKey,
      authorizerBody("default", { isDefault: false, signingKeyId: "sp-key-2024-acme" }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "default",
      isDefault: true,
      enabled: true,
      pollOnly: false,
      signingKeyId: "sp-key-2024-acme",
    });
    expect(created.body.callbackPath).toBe(`/api/stepauth/callback/${created.body.id}`);
    expect(created.body).not.toHaveProperty("tenantId");

    const read = await get(t.apiKey, "default");
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(created.body.id);

    const newKey = generateKeyPair().publicKey;
    const updated = await patch(t.apiKey, "default", {
      endpoint: "https://new-home.example.com/stepauth",
      pollOnly: true,
      publicKeys: [{ keyId: "auth-key-2025", algorithm: "ed25519", publicKey: newKey }],
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      endpoint: "https://new-home.example.com/stepauth",
      pollOnly: true,
      isDefault: true,
      spId: created.body.spId,
    });
    expect(updated.body.publicKeys).toEqual([{ keyId: "auth-key-2025", algorithm: "ed25519", publicKey: newKey }]);
    expect((await list(t.apiKey)).map((a) => a.name)).toEqual(["default"]);

    const audit = await callRoute(auditEvents.GET, { headers: bearer(t.apiKey) });
    const actions = audit.body.data.filter((e: any) => e.target === "default").map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["authorizer.created", "authorizer.updated"]));
  });

  it("keeps exactly one default: moving it clears the others, unsetting/disabling/deleting it is a conflict", async () => {
    const t = await createTestTenant(db());
    await createAuthorizerThroughApi(t.apiKey, "primary");
    const second = await create(t.apiKey, authorizerBody("security-team", { isDefault: true }));
    expect(second.body.isDefault).toBe(true);
    expect(await defaults(t.apiKey)).toEqual(["security-team"]);

    await createAuthorizerThroughApi(t.apiKey, "backup");
    expect(await defaults(t.apiKey)).toEqual(["security-team"]);
    const moved = await patch(t.apiKey, "primary", { isDefault: true });
    expect(moved.status).toBe(200);
    expect(await defaults(t.apiKey)).toEqual(["primary"]);

    for (const [response, why] of [
      [await patch(t.apiKey, "primary", { isDefault: false }), "unset"],
      [await patch(t.apiKey, "primary", { enabled: false }), "disable"],
    ] as const) {
      expect(response.status, why).toBe(409);
      expect(response.body.error, why).toBe("conflict");
    }
    const removeDefault = await remove(t.apiKey, "primary");
    expect(removeDefault.status).toBe(409);
    expect(removeDefault.body.error).toBe("default_authorizer");
    expect(await defaults(t.apiKey)).toEqual(["primary"]);

    // A disabled authorizer cannot take over as default; a non-default can be disabled and deleted.
    expect((await patch(t.apiKey, "backup", { enabled: false })).body.enabled).toBe(false);
    expect((await patch(t.apiKey, "backup", { isDefault: true })).body.error).toBe("conflict");
    expect((await remove(t.apiKey, "backup")).status).toBe(204);
    expect((await remove(t.apiKey, "security-team")).status).toBe(204);
    // The default never goes, not even as the last one: routing falls back to it.
    expect((await remove(t.apiKey, "primary")).body.error).toBe("default_authorizer");
    expect(await defaults(t.apiKey)).toEqual(["primary"]);
  });

  it("refuses a disabled first authorizer, a duplicate name and unknown fields", async () => {
    const t = await createTestTenant(db());
    const disabledFirst = await create(t.apiKey, authorizerBody("first", { enabled: false }));
    expect(disabledFirst.status).toBe(409);
    expect(disabledFirst.body.error).toBe("conflict");
    await createAuthorizerThroughApi(t.apiKey, "first");
    const duplicate = await create(t.apiKey, authorizerBody("first"));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toBe("conflict");
    await createAuthorizerThroughApi(t.apiKey, "second");
    expect((await patch(t.apiKey, "second", { name: "first" })).body.error).toBe("conflict");
    const unknownField = await create(t.apiKey, { ...authorizerBody("third"), tenantId: t.tenantId });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error).toBe("validation_failed");
    expect((await patch(t.apiKey, "second", {})).body.error).toBe("validation_failed");
  });

  it("refuses $-names and other invalid names", async () => {
    const t = await createTestTenant(db());
    for (const name of ["$approve", "$deny", "$custom", "", "has space", "9starts-with-digit", "a".repeat(65)]) {
      const response = await create(t.apiKey, authorizerBody("x", { name }));
      expect(response.status, name).toBe(400);
      expect(response.body.error, name).toBe("validation_failed");
      expect(response.body.details[0].path, name).toBe("name");
    }
    expect((await get(t.apiKey, "$approve")).status).toBe(404);
    expect(await list(t.apiKey)).toEqual([]);
  });

  describe("endpoint checks", () => {
    const saved = process.env.ALLOW_PRIVATE_NETWORK_URLS;
    afterEach(() => {
      if (saved === undefined) delete process.env.ALLOW_PRIVATE_NETWORK_URLS;
      else process.env.ALLOW_PRIVATE_NETWORK_URLS = saved;
    });

    it("refuses non-https and private endpoints in production mode", async () => {
      delete process.env.ALLOW_PRIVATE_NETWORK_URLS;
      const t = await createTestTenant(db());
      for (const [endpoint, problem] of [
        ["ftp://authorizer.example.com/", "https_required"],
        ["http://authorizer.example.com/", "https_required"],
        ["https://127.0.0.1/stepauth", "private_address"],
        ["https://10.0.0.5/stepauth", "private_address"],
        ["https://user:pw@authorizer.example.com/", "credentials_in_url"],
        ["not a url", "invalid_url"],
      ]) {
        const response = await create(t.apiKey, authorizerBody("a", { endpoint }));
        expect(response.status, endpoint).toBe(400);
        expect(response.body.error, endpoint).toBe("validation_failed");
        expect(response.body.details, endpoint).toEqual([
          { path: "endpoint", message: `endpoint refused: ${problem}` },
        ]);
      }
      await createAuthorizerThroughApi(t.apiKey, "a");
      expect((await patch(t.apiKey, "a", { endpoint: "https://10.0.0.5/" })).body.error).toBe("validation_failed");
      expect(await list(t.apiKey)).toHaveLength(1);
    });

    it("accepts loopback http when private networks are allowed", async () => {
      process.env.ALLOW_PRIVATE_NETWORK_URLS = "true";
      const t = await createTestTenant(db());
      const response = await create(t.apiKey, authorizerBody("local", { endpoint: "http://127.0.0.1:4010/stepauth" }));
      expect(response.status).toBe(201);
      expect(response.body.endpoint).toBe("http://127.0.0.1:4010/stepauth");
    });
  });

  it("refuses unusable public keys", async () => {
    const t = await createTestTenant(db());
    const good = { keyId: "k1", algorithm: "ed25519", publicKey: generateKeyPair().publicKey };
    for (const [label, publicKeys] of [
      ["garbage", [{ ...good, publicKey: "not-base64!!" }]],
      ["truncated", [{ ...good, publicKey: good.publicKey.slice(0, 20) }]],
      ["wrong algorithm", [{ ...good, algorithm: "rs256" }]],
      ["bad keyId", [{ ...good, keyId: "has space" }]],
      ["duplicate keyId", [good, { ...good, publicKey: generateKeyPair().publicKey }]],
      ["none", []],
      ["eleven", Array.from({ length: 11 }, (_, i) => ({ ...good, keyId: `k${i}` }))],
    ] as const) {
      const response = await create(t.apiKey, authorizerBody("a", { publicKeys }));
      expect(response.status, label).toBe(400);
      expect(response.body.error, label).toBe("validation_failed");
      expect(response.body.details[0].path, label).toMatch(/^publicKeys/);
    }
    expect(await list(t.apiKey)).toEqual([]);
  });

  it("answers 404 across tenants and leaves the other tenant's authorizer unchanged", async () => {
    const a = await createTestTenant(db());
    const b = await createTestTenant(db());
    const bAuthorizer = await createAuthorizerThroughApi(b.apiKey, "b-only");
    await createAuthorizerThroughApi(b.apiKey, "b-second");
    for (const response of [
      await get(a.apiKey, "b-only"),
      await patch(a.apiKey, "b-only", { endpoint: "https://attacker.example.com/" }),
      await patch(a.apiKey, "b-second", { isDefault: true }),
      await remove(a.apiKey, "b-only"),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.error).toBe("not_found");
    }
    const after = await get(b.apiKey, "b-only");
    expect(after.body).toEqual(bAuthorizer);
    expect(await defaults(b.apiKey)).toEqual(["b-only"]);
    // A creating the same name lands in A only, and becomes A's default without touching B's.
    await createAuthorizerThroughApi(a.apiKey, "b-only");
    expect(await defaults(b.apiKey)).toEqual(["b-only"]);
    expect((await list(b.apiKey)).map((x) => x.id)).not.toContain((await get(a.apiKey, "b-only")).body.id);
  });

  it("refuses keys without the admin scope with 403 insufficient_scope", async () => {
    const t = await createTestTenant(db());
    const original = await createAuthorizerThroughApi(t.apiKey, "default");
    const limitedKey = await callRoute(apiKeyCollection.POST, {
      method: "POST",
      headers: bearer(t.apiKey),
      json: { name: "submitter", scopes: ["requests:write"] },
    });
    const limited = limitedKey.body.secret as string;
    for (const response of [
      await callRoute(authorizerCollection.GET, { headers: bearer(limited) }),
      await create(limited, authorizerBody("sneaky")),
      await get(limited, "default"),
      await patch(limited, "default", { endpoint: "https://attacker.example.com/" }),
      await remove(limited, "default"),
    ]) {
      expect(response.status).toBe(403);
      expect(response.body.error).toBe("insufficient_scope");
    }
    expect(await list(t.apiKey)).toEqual([original]);
  });
});
