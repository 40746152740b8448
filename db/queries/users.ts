import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { memberships, tenants, users, type MemberRole, type User } from "@/db/schema";

// Users are global (one person may belong to several tenants); these queries are not tenant-scoped
// on purpose and serve sign-in and membership resolution only.

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Creates an account (sign-up, or an invited person's first); null when the e-mail already has one. */
export async function insertUserUnlessEmailTaken(
  db: Database,
  fresh: { email: string; name: string; passwordHash: string },
): Promise<User | null> {
  const [user] = await db.insert(users).values(fresh).onConflictDoNothing({ target: users.email }).returning();
  return user ?? null;
}

export async function findUserByEmail(db: Database, email: string): Promise<User | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)));
  return row ?? null;
}

export async function findUserById(db: Database, id: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

/** The user a session token names, only while the token's version is the user's current one. */
export async function findUserBySession(db: Database, userId: string, sessionVersion: number): Promise<User | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.sessionVersion, sessionVersion)));
  return row ?? null;
}

/** Ends every session of the user issued so far (sign-out, password change, removal from a tenant). */
export async function endUserSessions(db: Database, userId: string): Promise<void> {
  await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
}

/**
 * Makes an account SSO-only on its first single-sign-on: clears its password and, in the same write,
 * ends every session (lib/auth/sso.ts says why). Conditional, so a repeat changes nothing.
 */
export async function claimAccountForSso(db: Database, userId: string): Promise<void> {
  await db
    .update(users)
    .set({ passwordHash: null, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(and(eq(users.id, userId), isNotNull(users.passwordHash)));
}

/** Sets a user's password hash and, in the same write, ends every session signed in with the old one. */
export async function setUserPasswordHash(db: Database, userId: string, passwordHash: string): Promise<boolean> {
  const updated = await db
    .update(users)
    .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  return updated.length > 0;
}

/** The tenants a user belongs to, oldest membership first; the console's tenant switcher lists these. */
export async function listMembershipsOfUser(
  db: Database,
  userId: string,
): Promise<{ tenantId: string; tenantName: string; role: MemberRole }[]> {
  return db
    .select({ tenantId: memberships.tenantId, tenantName: tenants.name, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
}

/** The user's role in one tenant, or null: how the auth wrappers decide whether to issue a TenantContext. */
export async function findMembershipRole(db: Database, tenantId: string, userId: string): Promise<MemberRole | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  return row?.role ?? null;
}
