import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as authorizerCollection from "@/app/api/console/authorizers/route";
import * as authorizerItem from "@/app/api/console/authorizers/[name]/route";
import * as testRequest from "@/app/api/console/authorizers/[name]/test-request/route";
import * as connectSandbox from "@/app/api/console/sandbox/connect/route";
import * as collection from "@/app/api/console/signing-keys/route";
import * as activate from "@/app/api/console/signing-keys/[keyId]/activate/route";
import * as retire from "@/app/api/console/signing-keys/[keyId]/retire/route";
import { findSandboxRegistrationBySpId } from "@/db/queries/system/sandbox-registrations";
import { importPublicKey, type TrustedKey } from "@/lib/stepauth";
import { setupTestDatabase } from "../../../setup/database";
import { callRoute } from "../../../setup/http";
import { authorizerKey, startStubAuthorizer, type StubAuthorizer } from "../../../setup/stub-authorizer";
import { authorizerBody } from "../v1/authorizer-fixtures";
import { createConsoleTenant } from "./console-fixtures";

const db = setupTestDatabase();
let stub: StubAuthorizer;
let trusted: TrustedKey[] = [];
beforeAll(async () => {
  stub = await startStubAuthorizer({ mode: "approve", trustedSpKeys: () => trusted });
});
afterAll(async () => stub?.close());

type ConsoleTenant = Awaited<ReturnType<typeof createConsoleTenant>>;
const authorizerView = async (t: ConsoleTenant, name: string) =>
  (await callRoute(authorizerCollection.GET, { headers: t.viewer })).body.data.find((a: any) => a.name === name);
const trust = async (t: ConsoleTenant, keyIds: string[]) => {
  const keys = (await callRoute(collection.GET, { headers: t.viewer })).body.data as {
    keyId: string;
    publicKey: string;
  }[];
  trusted = keys
    .filter((k) => keyIds.includes(k.keyId))
    .map((k) => ({ keyId: k.keyId, algorithm: "ed25519", publicKey: importPublicKey(k.publicKey) }));
};

describe("console signing-key routes", () => {
  it("rotates next → active → retired for an owner, and never shows a private key", async () => {
    const t = await createConsoleTenant(db());
    const [first] = (await callRoute(collection.GET, { headers: t.owner })).body.data;
    const created = await callRoute(collection.POST, { method: "POST", headers: t.owner });
    expect(created.status).toBe(201);
    expect(created.body.state).toBe("next");
    expect((await callRoute(collection.POST, { method: "POST", headers: t.owner })).body.error).toBe("conflict");

    expect(
      (await callRoute(activate.POST, { method: "POST", headers: t.owner, params: { keyId: created.body.keyId } })).body
        .state,
    ).toBe("active");
    expect(
      (await callRoute(retire.POST, { method: "POST", headers: t.owner, params: { keyId: first.keyId } })).body.state,
    ).toBe("retired");
    const lastActive = await callRoute(retire.POST, {
      method: "POST",
      headers: t.owner,
      params: { keyId: created.body.keyId },
    });
    expect(lastActive.body.error).toBe("conflict");

    const listed = await callRoute(collection.GET, { headers: t.viewer });
    expect(listed.body.data.map((k: any) => k.state)).toEqual(["retired", "active"]);
    expect(JSON.stringify(listed.body)).not.toMatch(/private|ciphertext/i);
  });

  it("lets viewers and admins read the public keys but refuses them every key change", async () => {
    const t = await createConsoleTenant(db());
    const [key] = (await callRoute(collection.GET, { headers: t.viewer })).body.data;
    expect(key.publicKey).toMatch(/^MC/);
    for (const headers of [t.viewer, t.admin]) {
      const attempts = await Promise.all([
        callRoute(collection.POST, { method: "POST", headers }),
        callRoute(activate.POST, { method: "POST", headers, params: { keyId: key.keyId } }),
        callRoute(retire.POST, { method: "POST", headers, params: { keyId: key.keyId } }),
      ]);
      for (const response of attempts)
        expect(response.body).toEqual({ error: "forbidden", message: "Your role does not allow keys:manage" });
    }
  });

  it("answers 404 for another tenant's key", async () => {
    const mine = await createConsoleTenant(db());
    const theirs = await createConsoleTenant(db());
    const next = await callRoute(collection.POST, { method: "POST", headers: theirs.owner });
    expect(
      (await callRoute(activate.POST, { method: "POST", headers: mine.owner, params: { keyId: next.body.keyId } }))
        .status,
    ).toBe(404);
    expect(
      (await callRoute(retire.POST, { method: "POST", headers: mine.owner, params: { keyId: next.body.keyId } }))
        .status,
    ).toBe(404);
    expect(
      (await callRoute(collection.GET, { headers: theirs.owner })).body.data.find(
        (k: any) => k.keyId === next.body.keyId,
      ).state,
    ).toBe("next");
  });

  it("retires the old key without a confirmation once every enabled authorizer accepted the new key alone", async () => {
    const t = await createConsoleTenant(db());
    const [old] = (await callRoute(collection.GET, { headers: t.owner })).body.data;
    const publicKeys = [{ keyId: authorizerKey.keyId, algorithm: "ed25519", publicKey: authorizerKey.publicKey }];
    await callRoute(authorizerCollection.POST, {
      method: "POST",
      headers: t.owner,
      json: authorizerBody("stub", { endpoint: stub.url, publicKeys }),
    });
    const sandbox = await callRoute(connectSandbox.POST, { method: "POST", headers: t.owner });
    expect(sandbox.status).toBe(201);
    const next = (await callRoute(collection.POST, { method: "POST", headers: t.owner })).body.keyId as string;
    expect((await callRoute(activate.POST, { method: "POST", headers: t.owner, params: { keyId: next } })).status).toBe(
      200,
    );

    // The sandbox re-registered the tenant's keys by itself on activation: it never blocks the retirement.
    const registration = await findSandboxRegistrationBySpId(db(), sandbox.body.authorizer.spId);
    expect(registration!.publicKeys.map((k) => k.keyId).sort()).toEqual([old.keyId, next].sort());
    expect(await authorizerView(t, "sandbox")).toMatchObject({
      signingKeyId: next,
      provenKeyIds: expect.arrayContaining([old.keyId, next]),
    });
    const refused = await callRoute(retire.POST, { method: "POST", headers: t.owner, params: { keyId: old.keyId } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: "signing_key_in_use",
      details: { authorizers: [{ name: "stub", provenKeyIds: [] }] },
    });

    // An authorizer that knows only the old key refuses a request signed by the new key alone: nothing is recorded.
    await trust(t, [old.keyId]);
    const onlyOld = await callRoute(testRequest.POST, {
      method: "POST",
      headers: t.admin,
      params: { name: "stub" },
      json: { keyId: next },
    });
    expect(onlyOld.body).toMatchObject({ outcome: "failed", signedWith: [next], error: { code: "invalid_signature" } });
    expect(onlyOld.body.provenKeyId).toBeUndefined();
    expect((await authorizerView(t, "stub")).provenKeyIds).toEqual([]);
    // A normal test (both keys sign) proves nothing about the new key either.
    expect(
      (await callRoute(testRequest.POST, { method: "POST", headers: t.admin, params: { name: "stub" } })).body,
    ).toMatchObject({ outcome: "decided", signedWith: [old.keyId, next] });
    expect(
      (await callRoute(retire.POST, { method: "POST", headers: t.owner, params: { keyId: old.keyId } })).body.error,
    ).toBe("signing_key_in_use");

    await trust(t, [old.keyId, next]);
    const proven = await callRoute(testRequest.POST, {
      method: "POST",
      headers: t.admin,
      params: { name: "stub" },
      json: { keyId: next },
    });
    expect(proven.body).toMatchObject({ outcome: "decided", signedWith: [next], provenKeyId: next });
    expect(stub.state.received.get(proven.body.requestId)?.signatureKeyIds).toEqual([next]);
    expect((await authorizerView(t, "stub")).provenKeyIds).toEqual([next]);

    const retired = await callRoute(retire.POST, { method: "POST", headers: t.owner, params: { keyId: old.keyId } });
    expect(retired.status).toBe(200);
    expect(retired.body.state).toBe("retired");
    // The sandbox follows: the retired key no longer verifies there.
    expect(
      (await findSandboxRegistrationBySpId(db(), sandbox.body.authorizer.spId))!.publicKeys.map((k) => k.keyId),
    ).toEqual([next]);
    expect(
      (
        await callRoute(testRequest.POST, {
          method: "POST",
          headers: t.admin,
          params: { name: "stub" },
          json: { keyId: old.keyId },
        })
      ).body.error,
    ).toBe("conflict");
  });

  it("requires the typed key id in the console too, and forgets a proof when the authorizer is re-pointed", async () => {
    const t = await createConsoleTenant(db());
    const [old] = (await callRoute(collection.GET, { headers: t.owner })).body.data;
    const publicKeys = [{ keyId: authorizerKey.keyId, algorithm: "ed25519", publicKey: authorizerKey.publicKey }];
    await callRoute(authorizerCollection.POST, {
      method: "POST",
      headers: t.owner,
      json: authorizerBody("stub", { endpoint: stub.url, publicKeys }),
    });
    const next = (await callRoute(collection.POST, { method: "POST", headers: t.owner })).body.keyId as string;
    await trust(t, [old.keyId, next]);
    expect(
      (
        await callRoute(testRequest.POST, {
          method: "POST",
          headers: t.admin,
          params: { name: "stub" },
          json: { keyId: next },
        })
      ).body.provenKeyId,
    ).toBe(next);
    await callRoute(activate.POST, { method: "POST", headers: t.owner, params: { keyId: next } });
    await callRoute(authorizerItem.PATCH, {
      method: "PATCH",
      headers: t.admin,
      params: { name: "stub" },
      json: { endpoint: "https://elsewhere.example.com/stepauth" },
    });
    expect((await authorizerView(t, "stub")).provenKeyIds).toEqual([]);

    const refused = await callRoute(retire.POST, { method: "POST", headers: t.owner, params: { keyId: old.keyId } });
    expect(refused).toMatchObject({
      status: 409,
      body: { error: "signing_key_in_use", details: { authorizers: [{ name: "stub" }] } },
    });
    const confirmed = await callRoute(retire.POST, {
      method: "POST",
      headers: t.owner,
      params: { keyId: old.keyId },
      json: { confirmKeyId: old.keyId },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.state).toBe("retired");
  });
});
