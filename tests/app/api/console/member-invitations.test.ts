import { describe, expect, it } from "vitest";
import * as apiKeys from "@/app/api/console/api-keys/route";
import * as members from "@/app/api/console/members/route";
import { memberships, users } from "@/db/schema";
import { activeTenantCookie } from "@/lib/auth/console-auth";
import { authorizeCredentials } from "@/lib/auth/credentials";
import { hashPassword } from "@/lib/auth/password";
import { callRoute, sessionHeaders } from "../../../setup/http";
import { createTestTenant, setupTestDatabase, unique } from "../../../setup/database";

const db = setupTestDatabase();

/** An account that tenant A controls: its owner chose the password (as the old "initial password" let it). */
async function accountControlledBy(tenantId: string, password: string, name = "Vic Tim") {
  const email = `${unique("victim")}@newco.example`;
  const [user] = await db()
    .insert(users)
    .values({ email, name, passwordHash: await hashPassword(password) })
    .returning();
  await db().insert(memberships).values({ tenantId, userId: user!.id, role: "viewer" });
  return { id: user!.id, email, name };
}

const emailsOf = (list: { body: { data: { email: string }[] } }) => list.body.data.map((m) => m.email);

describe("adding a member across tenants (issue 12: account takeover)", () => {
  it("never lets the adding owner choose the password: the password A sends opens no account", async () => {
    const a = await createTestTenant(db());
    const email = `${unique("victim")}@newco.example`;
    const chosenByA = "chosen-by-tenant-a-1234";
    const added = await callRoute(members.POST, {
      method: "POST",
      headers: await sessionHeaders(a.owner.id),
      json: { email, name: "Victim", role: "viewer", initialPassword: chosenByA },
    });
    expect(added.status).toBe(201);
    expect((await authorizeCredentials(db(), { email, password: chosenByA }, "203.0.113.7")).ok).toBe(false);
    expect(emailsOf(await callRoute(members.GET, { headers: await sessionHeaders(a.owner.id) }))).not.toContain(email);
  });

  it("B adding an e-mail A controls makes no membership, so A's password never reaches B's keys", async () => {
    const a = await createTestTenant(db());
    const b = await createTestTenant(db());
    const victim = await accountControlledBy(a.tenantId, "chosen-by-tenant-a-1234");
    const bOwner = await sessionHeaders(b.owner.id);
    const added = await callRoute(members.POST, {
      method: "POST",
      headers: bOwner,
      json: { email: victim.email, name: "Victim", role: "owner", initialPassword: "chosen-by-tenant-b-5678" },
    });
    expect(added.status).toBe(201);
    expect(emailsOf(await callRoute(members.GET, { headers: bOwner }))).not.toContain(victim.email);
    // B's password was never set; A's still signs in to the account A controls, and nothing more.
    expect(
      (await authorizeCredentials(db(), { email: victim.email, password: "chosen-by-tenant-b-5678" }, "203.0.113.8"))
        .ok,
    ).toBe(false);
    expect(
      (await authorizeCredentials(db(), { email: victim.email, password: "chosen-by-tenant-a-1234" }, "203.0.113.8"))
        .ok,
    ).toBe(true);

    // A, signed in as that account, selects B with the tenant cookie and mints an all-scope key.
    const asVictimInB = await sessionHeaders(victim.id, `${activeTenantCookie}=${b.tenantId}`);
    const minted = await callRoute(apiKeys.POST, {
      method: "POST",
      headers: asVictimInB,
      json: { name: "stolen", scopes: ["requests:write", "requests:read", "admin"] },
    });
    expect(minted.status).toBe(403); // the cookie is ignored: in A the account is a viewer
    const bKeys = await callRoute(apiKeys.GET, { headers: bOwner });
    expect(bKeys.body.data.map((k: { name: string }) => k.name)).not.toContain("stolen");
  });

  it("answers the same whether or not the e-mail has an account elsewhere, and reveals nothing about it", async () => {
    const a = await createTestTenant(db());
    const b = await createTestTenant(db());
    const known = await accountControlledBy(a.tenantId, "whatever-password-1", "Victoria Hidden-Name");
    const bOwner = await sessionHeaders(b.owner.id);
    const post = (email: string) =>
      callRoute(members.POST, {
        method: "POST",
        headers: bOwner,
        json: { email, name: "Typed By B", role: "admin", initialPassword: "chosen-by-tenant-b-5678" },
      });
    const existing = await post(known.email);
    const fresh = await post(`${unique("nobody")}@newco.example`);
    expect(existing.status).toBe(201);
    expect(fresh.status).toBe(201);
    const text = JSON.stringify(existing.body);
    expect(text).not.toContain("Victoria");
    expect(text).not.toContain(known.id);
    expect(Object.keys(existing.body).sort()).toEqual(Object.keys(fresh.body).sort());
    expect(Object.keys(existing.body.invitation ?? {}).sort()).toEqual(Object.keys(fresh.body.invitation ?? {}).sort());
  });
});
