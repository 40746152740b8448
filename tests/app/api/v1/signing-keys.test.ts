import { describe, expect, it } from "vitest";
import * as apiKeyCollection from "@/app/api/v1/api-keys/route";
import * as activateRoute from "@/app/api/v1/signing-keys/[keyId]/activate/route";
import * as retireRoute from "@/app/api/v1/signing-keys/[keyId]/retire/route";
import * as signingKeyCollection from "@/app/api/v1/signing-keys/route";
import * as authorizerItem from "@/app/api/v1/authorizers/[name]/route";
import { bearer, callRoute } from "../../../setup/http";
import { createTestTenant, setupTestDatabase } from "../../../setup/database";
import { createAuthorizerThroughApi } from "./authorizer-fixtures";

const db = setupTestDatabase();

// Every answer of this suite is collected so one assertion can prove no private material ever left.
const answers: string[] = [];
async function record(response: Promise<{ status: number; body: any }>) {
  const result = await response;
  answers.push(JSON.stringify(result.body));
  return result;
}

const create = (apiKey: string, json?: unknown) =>
  record(
    callRoute(signingKeyCollection.POST, {
      method: "POST",
      headers: bearer(apiKey),
      ...(json === undefined ? {} : { json }),
    }),
  );
const list = async (apiKey: string) =>
  (await record(callRoute(signingKeyCollection.GET, { headers: bearer(apiKey) }))).body.data as any[];
const activate = (apiKey: string, keyId: string) =>
  record(callRoute(activateRoute.POST, { method: "POST", headers: bearer(apiKey), params: { keyId } }));
const retire = (apiKey: string, keyId: string) =>
  record(callRoute(retireRoute.POST, { method: "POST", headers: bearer(apiKey), params: { keyId } }));
const retireWith = (apiKey: string, keyId: string, json: unknown) =>
  record(callRoute(retireRoute.POST, { method: "POST", headers: bearer(apiKey), params: { keyId }, json }));
const states = async (apiKey: string) => Object.fromEntries((await list(apiKey)).map((k) => [k.keyId, k.state]));

describe("/api/v1/signing-keys", () => {
  it("rotates: first key active, then next → active → retire the old one", async () => {
    const t = await createTestTenant(db());
    const first = await create(t.apiKey);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ state: "active", keyId: expect.stringMatching(/^sk_\d{8}_/) });
    expect(first.body.publicKey).toEqual(expect.any(String));
    const oldKeyId = first.body.keyId as string;

    const next = await create(t.apiKey, { keyId: "sp-key-2026" });
    expect(next.status).toBe(201);
    expect(next.body).toMatchObject({ keyId: "sp-key-2026", state: "next" });

    const second = await create(t.apiKey, { keyId: "sp-key-2027" });
    expect(second.status).toBe(409);
    expect(second.body.error).toBe("conflict");

    const activated = await activate(t.apiKey, "sp-key-2026");
    expect(activated.status).toBe(200);
    expect(activated.body.state).toBe("active");
    expect(activated.body.activatedAt).not.toBeNull();
    expect((await activate(t.apiKey, "sp-key-2026")).body.error).toBe("conflict");

    const retired = await retire(t.apiKey, oldKeyId);
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ keyId: oldKeyId, state: "retired" });
    expect(await states(t.apiKey)).toEqual({ [oldKeyId]: "retired", "sp-key-2026": "active" });

    const onlyActive = await retire(t.apiKey, "sp-key-2026");
    expect(onlyActive.status).toBe(409);
    expect(onlyActive.body.error).toBe("conflict");
    expect((await retire(t.apiKey, oldKeyId)).body.error).toBe("conflict");
    expect(await states(t.apiKey)).toEqual({ [oldKeyId]: "retired", "sp-key-2026": "active" });
  });

  it("refuses to retire a key enabled authorizers may still rely on, listing them, until the key id is typed", async () => {
    const t = await createTestTenant(db());
    const old = (await create(t.apiKey, { keyId: "sp-key-old" })).body.keyId as string;
    await createAuthorizerThroughApi(t.apiKey, "primary");
    await createAuthorizerThroughApi(t.apiKey, "backup");
    await createAuthorizerThroughApi(t.apiKey, "retired-idp");
    await callRoute(authorizerItem.PATCH, {
      method: "PATCH",
      headers: bearer(t.apiKey),
      params: { name: "retired-idp" },
      json: { enabled: false },
    });
    await create(t.apiKey, { keyId: "sp-key-new" });
    // Abandoning the next key is never guarded: the active key signed all along.
    await activate(t.apiKey, "sp-key-new");

    const refused = await retire(t.apiKey, old);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe("signing_key_in_use");
    expect(refused.body.details).toEqual({
      keyId: old,
      remainingKeyIds: ["sp-key-new"],
      authorizers: [
        { name: "backup", provenKeyIds: [] },
        { name: "primary", provenKeyIds: [] },
      ],
    });
    const wrongConfirmation = await retireWith(t.apiKey, old, { confirmKeyId: "sp-key-new" });
    expect(wrongConfirmation.status).toBe(400);
    expect(wrongConfirmation.body.error).toBe("validation_failed");
    expect((await retireWith(t.apiKey, old, { confirmKeyId: old, extra: 1 })).body.error).toBe("validation_failed");
    expect(await states(t.apiKey)).toEqual({ [old]: "active", "sp-key-new": "active" });

    const confirmed = await retireWith(t.apiKey, old, { confirmKeyId: old });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ keyId: old, state: "retired" });
    expect(await states(t.apiKey)).toEqual({ [old]: "retired", "sp-key-new": "active" });
  });

  it("answers 404 for unknown key ids and refuses invalid bodies", async () => {
    const t = await createTestTenant(db());
    await create(t.apiKey);
    for (const response of [
      await activate(t.apiKey, "no-such-key"),
      await retire(t.apiKey, "no-such-key"),
      await retire(t.apiKey, "bad key id"),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.error).toBe("not_found");
    }
    for (const body of [{ keyId: "has space" }, { keyId: "" }, { keyId: "ok", extra: true }]) {
      const response = await create(t.apiKey, body);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe("validation_failed");
    }
    const duplicate = await create(t.apiKey, { keyId: (await list(t.apiKey))[0].keyId });
    expect(duplicate.status).toBe(409);
  });

  it("answers 404 across tenants and cannot change the other tenant's keys", async () => {
    const a = await createTestTenant(db());
    const b = await createTestTenant(db());
    const bActive = (await create(b.apiKey, { keyId: "b-active" })).body;
    await create(b.apiKey, { keyId: "b-next" });
    const before = await list(b.apiKey);
    for (const response of [
      await activate(a.apiKey, "b-next"),
      await retire(a.apiKey, "b-next"),
      await retire(a.apiKey, bActive.keyId),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.error).toBe("not_found");
    }
    expect(await list(b.apiKey)).toEqual(before);
    expect(await list(a.apiKey)).toEqual([]);
    // Same keyId in another tenant is a separate key.
    expect((await create(a.apiKey, { keyId: "b-next" })).body.state).toBe("active");
    expect(await states(b.apiKey)).toEqual({ "b-active": "active", "b-next": "next" });
  });

  it("refuses keys without the admin scope with 403 insufficient_scope", async () => {
    const t = await createTestTenant(db());
    await create(t.apiKey, { keyId: "kept" });
    const limitedKey = await callRoute(apiKeyCollection.POST, {
      method: "POST",
      headers: bearer(t.apiKey),
      json: { name: "submitter", scopes: ["requests:write"] },
    });
    const limited = limitedKey.body.secret as string;
    for (const response of [
      await record(callRoute(signingKeyCollection.GET, { headers: bearer(limited) })),
      await create(limited, {}),
      await activate(limited, "kept"),
      await retire(limited, "kept"),
    ]) {
      expect(response.status).toBe(403);
      expect(response.body.error).toBe("insufficient_scope");
    }
    expect(await states(t.apiKey)).toEqual({ kept: "active" });
  });

  it("never answers with private key material", () => {
    expect(answers.length).toBeGreaterThan(20);
    for (const text of answers) {
      expect(text).not.toMatch(/privateKey|private_key|ciphertext|keyVersion|MC4CAQ/i);
    }
  });
});
