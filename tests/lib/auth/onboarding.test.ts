import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import * as members from "@/app/api/console/members/route";
import { invitations, memberships, signingKeys } from "@/db/schema";
import { findMembershipRole, findUserByEmail } from "@/db/queries/users";
import { authorizeCredentials } from "@/lib/auth/credentials";
import { acceptInvitation, signUpWithNewTenant } from "@/lib/auth/onboarding";
import { AppError } from "@/lib/errors/app-error";
import { callRoute, sessionHeaders } from "../../setup/http";
import { createTestTenant, setupTestDatabase, unique } from "../../setup/database";

const db = setupTestDatabase();
const savedMode = process.env.SIGNUP_MODE;
afterEach(() => {
  if (savedMode === undefined) delete process.env.SIGNUP_MODE;
  else process.env.SIGNUP_MODE = savedMode;
});

/** Invites `email` into a new tenant through the real console route; returns the link's token. */
async function invite(email: string, role = "admin") {
  const tenant = await createTestTenant(db());
  const response = await callRoute(members.POST, {
    method: "POST",
    headers: await sessionHeaders(tenant.owner.id),
    json: { email, role },
  });
  expect(response.status).toBe(201);
  const token = new URL(response.body.inviteUrl).pathname.split("/").pop()!;
  return { tenant, token, invitationId: response.body.invitation.id as string };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

describe("accepting an invitation", () => {
  it("lets a new person set their own password, once; the link then stops working", async () => {
    const email = `${unique("new")}@example.test`;
    const { tenant, token } = await invite(email);
    const [stored] = await db().select().from(invitations).where(eq(invitations.email, email));
    expect(stored!.tokenHash).not.toContain(token); // only the hash is kept

    const accepted = await acceptInvitation(db(), token, {
      kind: "new_account",
      name: "New Person",
      password: "my-own-password-1",
    });
    expect(accepted.tenantId).toBe(tenant.tenantId);
    expect(await findMembershipRole(db(), tenant.tenantId, accepted.userId)).toBe("admin");
    expect((await authorizeCredentials(db(), { email, password: "my-own-password-1" }, "198.51.100.1")).ok).toBe(true);

    expect(
      await codeOf(
        acceptInvitation(db(), token, { kind: "new_account", name: "Again", password: "another-password-2" }),
      ),
    ).toBe("invalid_invitation");
    expect(await codeOf(acceptInvitation(db(), token, { kind: "signed_in", userId: accepted.userId }))).toBe(
      "invalid_invitation",
    );
  });

  it("lets exactly one of two concurrent acceptances win", async () => {
    const email = `${unique("race")}@example.test`;
    const { token } = await invite(email);
    const outcomes = await Promise.allSettled([
      acceptInvitation(db(), token, { kind: "new_account", name: "One", password: "first-password-11" }),
      acceptInvitation(db(), token, { kind: "new_account", name: "Two", password: "second-password-22" }),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
  });

  it("refuses an expired invitation and changes nothing", async () => {
    const email = `${unique("late")}@example.test`;
    const { tenant, token, invitationId } = await invite(email);
    await db()
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, invitationId));
    expect(
      await codeOf(acceptInvitation(db(), token, { kind: "new_account", name: "Late", password: "late-password-123" })),
    ).toBe("invalid_invitation");
    expect(await findUserByEmail(db(), email)).toBeNull();
    expect(await db().select().from(memberships).where(eq(memberships.tenantId, tenant.tenantId))).toHaveLength(1);
  });

  it("refuses an unknown or revoked token", async () => {
    const email = `${unique("gone")}@example.test`;
    const { tenant, token, invitationId } = await invite(email);
    const revoke = await import("@/app/api/console/invitations/[id]/route");
    const revoked = await callRoute(revoke.DELETE, {
      method: "DELETE",
      headers: await sessionHeaders(tenant.owner.id),
      params: { id: invitationId },
    });
    expect(revoked.status).toBe(204);
    expect(
      await codeOf(acceptInvitation(db(), token, { kind: "new_account", name: "X", password: "some-password-123" })),
    ).toBe("invalid_invitation");
    expect(
      await codeOf(
        acceptInvitation(db(), "not-a-token", { kind: "new_account", name: "X", password: "some-password-123" }),
      ),
    ).toBe("invalid_invitation");
  });

  it("makes an existing account accept while signed in as itself; another account or a new password is refused", async () => {
    const home = await createTestTenant(db());
    const { tenant, token } = await invite(home.owner.email, "viewer");
    const stranger = await createTestTenant(db());

    expect(
      await codeOf(
        acceptInvitation(db(), token, { kind: "new_account", name: "Takeover", password: "attacker-password-1" }),
      ),
    ).toBe("account_exists");
    expect(
      (await authorizeCredentials(db(), { email: home.owner.email, password: "attacker-password-1" }, "198.51.100.2"))
        .ok,
    ).toBe(false);
    expect(await codeOf(acceptInvitation(db(), token, { kind: "signed_in", userId: stranger.owner.id }))).toBe(
      "wrong_account",
    );
    expect(await findMembershipRole(db(), tenant.tenantId, stranger.owner.id)).toBeNull();

    const accepted = await acceptInvitation(db(), token, { kind: "signed_in", userId: home.owner.id });
    expect(accepted.userId).toBe(home.owner.id);
    expect(await findMembershipRole(db(), tenant.tenantId, home.owner.id)).toBe("viewer");
    expect(await findMembershipRole(db(), home.tenantId, home.owner.id)).toBe("owner");
  });
});

describe("self-service sign-up", () => {
  it("creates a person, a tenant with its signing key, and makes them its owner", async () => {
    process.env.SIGNUP_MODE = "open";
    const email = `${unique("founder")}@startup.example`;
    const created = await signUpWithNewTenant(
      db(),
      { name: "Fay Founder", email, password: "founder-password-1", tenantName: "Startup Inc" },
      "192.0.2.10",
    );
    expect(await findMembershipRole(db(), created.tenantId, created.userId)).toBe("owner");
    expect(await db().select().from(signingKeys).where(eq(signingKeys.tenantId, created.tenantId))).toHaveLength(1);
    expect((await authorizeCredentials(db(), { email, password: "founder-password-1" }, "192.0.2.10")).ok).toBe(true);
  });

  it("refuses an e-mail that has an account, without touching it", async () => {
    process.env.SIGNUP_MODE = "open";
    const existing = await createTestTenant(db());
    const attempt = signUpWithNewTenant(
      db(),
      { name: "Mallory", email: existing.owner.email, password: "mallory-password-1", tenantName: "Evil" },
      "192.0.2.11",
    );
    expect(await codeOf(attempt)).toBe("account_exists");
    expect(
      (
        await authorizeCredentials(
          db(),
          { email: existing.owner.email, password: existing.owner.password },
          "192.0.2.11",
        )
      ).ok,
    ).toBe(true);
    expect(
      (await authorizeCredentials(db(), { email: existing.owner.email, password: "mallory-password-1" }, "192.0.2.11"))
        .ok,
    ).toBe(false);
  });

  it("is refused when SIGNUP_MODE=invite", async () => {
    process.env.SIGNUP_MODE = "invite";
    const email = `${unique("closed")}@startup.example`;
    const attempt = signUpWithNewTenant(
      db(),
      { name: "Nope", email, password: "closed-password-1", tenantName: "Closed" },
      "192.0.2.12",
    );
    expect(await codeOf(attempt)).toBe("signup_closed");
    expect(await findUserByEmail(db(), email)).toBeNull();
  });
});
