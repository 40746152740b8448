import { asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { memberships, users, type MemberRole } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { recordAuditEvent } from "./audit";
import { forTenant, tenantIdOf } from "./tenant-scope";
import { endUserSessions, normalizeEmail } from "./users";

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: MemberRole;
  createdAt: Date;
}

export async function listMembers(db: Database, ctx: TenantContext): Promise<MemberView[]> {
  return db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(forTenant(ctx, memberships.tenantId))
    .orderBy(asc(memberships.createdAt));
}

/**
 * Adds a person to the tenant. A new e-mail gets an account with `initialPassword`; an existing
 * account keeps its own password (the initial one is ignored, so no one can reset another's).
 */
export async function addMember(
  db: Database,
  ctx: TenantContext,
  input: { email: string; name: string; role: MemberRole; initialPassword: string },
): Promise<MemberView> {
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.initialPassword);
  return db.transaction(async (tx) => {
    await tx.insert(users).values({ email, name: input.name, passwordHash }).onConflictDoNothing({ target: users.email });
    const [user] = await tx.select().from(users).where(eq(users.email, email));
    if (!user) throw new Error("user vanished inside its own transaction");
    const [row] = await tx
      .insert(memberships)
      .values({ tenantId: tenantIdOf(ctx), userId: user.id, role: input.role })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError("conflict", `${email} is already a member`);
    await recordAuditEvent(tx, ctx, { action: "member.added", target: user.id, data: { email, role: input.role } });
    return { userId: user.id, email: user.email, name: user.name, role: row.role, createdAt: row.createdAt };
  });
}

/** Lock the tenant's owner rows, then refuse a change that would leave no owner. */
async function assertAnotherOwnerRemains(tx: Database, ctx: TenantContext, userId: string): Promise<void> {
  const owners = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(forTenant(ctx, memberships.tenantId, eq(memberships.role, "owner")))
    .for("update");
  if (owners.every((o) => o.userId === userId)) throw new AppError("conflict", "A tenant must keep at least one owner");
}

export async function changeMemberRole(db: Database, ctx: TenantContext, userId: string, role: MemberRole): Promise<MemberView | null> {
  return db.transaction(async (tx) => {
    if (role !== "owner") await assertAnotherOwnerRemains(tx, ctx, userId);
    const [row] = await tx
      .update(memberships)
      .set({ role })
      .where(forTenant(ctx, memberships.tenantId, eq(memberships.userId, userId)))
      .returning();
    if (!row) return null;
    await recordAuditEvent(tx, ctx, { action: "member.role_changed", target: userId, data: { role } });
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    return { userId, email: user?.email ?? "", name: user?.name ?? "", role: row.role, createdAt: row.createdAt };
  });
}

export async function removeMember(db: Database, ctx: TenantContext, userId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await assertAnotherOwnerRemains(tx, ctx, userId);
    const deleted = await tx
      .delete(memberships)
      .where(forTenant(ctx, memberships.tenantId, eq(memberships.userId, userId)))
      .returning({ userId: memberships.userId });
    if (deleted.length === 0) return false;
    // A removed person's open sessions end here, in every tenant (they may sign in again elsewhere).
    await endUserSessions(tx, userId);
    await recordAuditEvent(tx, ctx, { action: "member.removed", target: userId });
    return true;
  });
}
