import { describe, expect, it } from "vitest";
import * as collection from "@/app/api/console/signing-keys/route";
import * as activate from "@/app/api/console/signing-keys/[keyId]/activate/route";
import * as retire from "@/app/api/console/signing-keys/[keyId]/retire/route";
import { setupTestDatabase } from "../../../setup/database";
import { callRoute } from "../../../setup/http";
import { createConsoleTenant } from "./console-fixtures";

const db = setupTestDatabase();

describe("console signing-key routes", () => {
  it("rotates next → active → retired for an owner, and never shows a private key", async () => {
    const t = await createConsoleTenant(db());
    const [first] = (await callRoute(collection.GET, { headers: t.owner })).body.data;
    const created = await callRoute(collection.POST, { method: "POST", headers: t.owner });
    expect(created.status).toBe(201);
    expect(created.body.state).toBe("next");
    expect((await callRoute(collection.POST, { method: "POST", headers: t.owner })).body.error).toBe("conflict");

    expect((await callRoute(activate.POST, { method: "POST", headers: t.owner, params: { keyId: created.body.keyId } })).body.state).toBe("active");
    expect((await callRoute(retire.POST, { method: "POST", headers: t.owner, params: { keyId: first.keyId } })).body.state).toBe("retired");
    const lastActive = await callRoute(retire.POST, { method: "POST", headers: t.owner, params: { keyId: created.body.keyId } });
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
      for (const response of attempts) expect(response.body).toEqual({ error: "forbidden", message: "Your role does not allow keys:manage" });
    }
  });

  it("answers 404 for another tenant's key", async () => {
    const mine = await createConsoleTenant(db());
    const theirs = await createConsoleTenant(db());
    const next = await callRoute(collection.POST, { method: "POST", headers: theirs.owner });
    expect((await callRoute(activate.POST, { method: "POST", headers: mine.owner, params: { keyId: next.body.keyId } })).status).toBe(404);
    expect((await callRoute(retire.POST, { method: "POST", headers: mine.owner, params: { keyId: next.body.keyId } })).status).toBe(404);
    expect((await callRoute(collection.GET, { headers: theirs.owner })).body.data.find((k: any) => k.keyId === next.body.keyId).state).toBe("next");
  });
});
