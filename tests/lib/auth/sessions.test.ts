import { describe, expect, it } from "vitest";
import * as password from "@/app/api/console/account/password/route";
import * as memberItem from "@/app/api/console/members/[userId]/route";
import * as members from "@/app/api/console/members/route";
import { like } from "drizzle-orm";
import { memberships, rateLimitBuckets } from "@/db/schema";
import { authorizeCredentials } from "@/lib/auth/credentials";
import { loginThrottle } from "@/lib/auth/login-throttle";
import { ssoAccountFor } from "@/lib/auth/sso";
import { callAuthJs, sessionCookieHeader, signInWithPassword, signOutOf } from "../../setup/auth-js";
import { callRoute, sessionHeaders } from "../../setup/http";
import { createTestTenant, createTestUser, setupTestDatabase } from "../../setup/database";

const db = setupTestDatabase();

async function sessionOf(jar: Parameters<typeof callAuthJs>[0]) {
  return (await callAuthJs(new Map(jar), "/session")).json();
}

describe("console sessions end server-side", () => {
  it("signs in through Auth.js and the session cookie works", async () => {
    const t = await createTestTenant(db());
    const { jar, response } = await signInWithPassword(t.owner.email, t.owner.password);
    expect(response.status).toBe(302);
    expect((await callRoute(members.GET, { headers: sessionCookieHeader(jar) })).status).toBe(200);
    expect(await sessionOf(jar)).toMatchObject({ user: { id: t.owner.id } });
  });

  it("refuses a cookie saved before sign-out", async () => {
    const t = await createTestTenant(db());
    const { jar } = await signInWithPassword(t.owner.email, t.owner.password);
    const saved = sessionCookieHeader(jar);
    const savedJar = new Map(jar);
    expect((await callRoute(members.GET, { headers: saved })).status).toBe(200);

    await signOutOf(jar);
    const after = await callRoute(members.GET, { headers: saved });
    expect(after.status).toBe(401);
    expect(after.body.error).toBe("unauthenticated");
    expect(await sessionOf(savedJar)).toBeNull();
    // Signing in again works, and that new session is live.
    const again = await signInWithPassword(t.owner.email, t.owner.password);
    expect((await callRoute(members.GET, { headers: sessionCookieHeader(again.jar) })).status).toBe(200);
  });

  it("ends a removed member's sessions, in every tenant", async () => {
    const a = await createTestTenant(db());
    const b = await createTestTenant(db());
    const member = await createTestUser(db(), a.tenantId, "admin");
    await db().insert(memberships).values({ tenantId: b.tenantId, userId: member.id, role: "viewer" });
    const { jar } = await signInWithPassword(member.email, member.password);
    const saved = sessionCookieHeader(jar);
    expect((await callRoute(members.GET, { headers: saved })).status).toBe(200);

    const removed = await callRoute(memberItem.DELETE, {
      method: "DELETE",
      headers: await sessionHeaders(a.owner.id),
      params: { userId: member.id },
    });
    expect(removed.status).toBe(204);
    const after = await callRoute(members.GET, { headers: saved });
    expect(after.status).toBe(401);
    expect(after.body.error).toBe("unauthenticated");
    expect(await sessionOf(jar)).toBeNull();
  });

  it("ends every session on a password change; the new password signs in, the old one does not", async () => {
    const t = await createTestTenant(db());
    const first = await signInWithPassword(t.owner.email, t.owner.password);
    const other = await signInWithPassword(t.owner.email, t.owner.password);
    const newPassword = "a-brand-new-long-password";

    const wrong = await callRoute(password.POST, {
      method: "POST",
      headers: sessionCookieHeader(first.jar),
      json: { currentPassword: "not-it-at-all", newPassword },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("invalid_credentials");
    // Guessing the current password through a session meets the sign-in limits (refused attempts are quick).
    const statuses: number[] = [];
    while (!statuses.includes(429) && statuses.length < loginThrottle.account.freeFailures + 10) {
      const guess = await callRoute(password.POST, {
        method: "POST",
        headers: sessionCookieHeader(other.jar),
        json: { currentPassword: `guess-${statuses.length}`, newPassword },
      });
      statuses.push(guess.status);
    }
    expect(statuses.slice(0, loginThrottle.account.freeFailures - 1).every((status) => status === 401)).toBe(true);
    expect(statuses).toContain(429);
    const guessing = await callRoute(password.POST, {
      method: "POST",
      headers: sessionCookieHeader(other.jar),
      json: { currentPassword: t.owner.password, newPassword },
    });
    expect(guessing.status).toBe(429);
    expect(guessing.body.error).toBe("rate_limited");
    await db()
      .delete(rateLimitBuckets)
      .where(like(rateLimitBuckets.key, `%${t.owner.email}%`));
    const weak = await callRoute(password.POST, {
      method: "POST",
      headers: sessionCookieHeader(first.jar),
      json: { currentPassword: t.owner.password, newPassword: "short" },
    });
    expect(weak.status).toBe(400);
    expect((await callRoute(members.GET, { headers: sessionCookieHeader(other.jar) })).status).toBe(200);

    const changed = await callRoute(password.POST, {
      method: "POST",
      headers: sessionCookieHeader(first.jar),
      json: { currentPassword: t.owner.password, newPassword },
    });
    expect(changed.status).toBe(200);
    for (const jar of [first.jar, other.jar]) {
      expect((await callRoute(members.GET, { headers: sessionCookieHeader(jar) })).status).toBe(401);
    }
    expect((await signInWithPassword(t.owner.email, t.owner.password)).jar.has("authjs.session-token")).toBe(false);
    const fresh = await signInWithPassword(t.owner.email, newPassword);
    expect((await callRoute(members.GET, { headers: sessionCookieHeader(fresh.jar) })).status).toBe(200);
  }, 240_000);

  it("refuses a validly sealed token that carries no session version", async () => {
    const t = await createTestTenant(db());
    const { encode } = await import("next-auth/jwt");
    const token = await encode({
      token: { sub: t.owner.id },
      secret: process.env.AUTH_SECRET!,
      salt: "authjs.session-token",
    });
    const response = await callRoute(members.GET, { headers: { cookie: `authjs.session-token=${token}` } });
    expect(response.status).toBe(401);
  });
});

describe("single sign-on claims an account for its verified owner", () => {
  it("clears a password someone else may have set and ends its sessions on the first SSO sign-in", async () => {
    // Open sign-up (or an invitation link opened by the inviter) can create an account for an e-mail
    // nobody proved; the identity provider's verified e-mail then signs in to that same account.
    const t = await createTestTenant(db());
    const { jar } = await signInWithPassword(t.owner.email, t.owner.password);
    const preSet = sessionCookieHeader(jar);
    expect((await callRoute(members.GET, { headers: preSet })).status).toBe(200);

    expect(await ssoAccountFor(db(), { email: t.owner.email.toUpperCase(), email_verified: true })).toBe(t.owner.id);
    expect((await callRoute(members.GET, { headers: preSet })).status).toBe(401);
    const withPassword = await authorizeCredentials(
      db(),
      { email: t.owner.email, password: t.owner.password },
      "192.0.2.77",
    );
    expect(withPassword.ok).toBe(false);
    // A later SSO sign-in changes nothing more, and an unverified or unknown e-mail signs in to nothing.
    expect(await ssoAccountFor(db(), { email: t.owner.email, email_verified: true })).toBe(t.owner.id);
    expect(await ssoAccountFor(db(), { email: t.owner.email, email_verified: false })).toBeNull();
    expect(await ssoAccountFor(db(), { email: "nobody@example.test", email_verified: true })).toBeNull();
  });
});
