import { asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { memberships, users, type MemberRole } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { recordAuditEvent } from "./audit";
import { forTenant, tenantIdOf } from "./tenant-scope";
import { endUserSessions } from "./users";

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: MemberRole;
  createdAt: Date;
}

/** Makes `userId` a member of the tenant in `ctx` (a new tenant's owner, an accepted invitation); once. */
export async function addMember(db: Database, ctx: TenantContext, userId: string, role: MemberRole): Promise<void> {
  await db
    .insert(memberships)
    .values({ tenantId: tenantIdOf(ctx), userId, role })
    .onConflictDoNothing();
}

export async function listMembers(db: Database, ctx: TenantContext): Promise<MemberView[]> {
  return db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(forTenant(ctx, memberships.tenantId))
    .orderBy(asc(memberships.createdAt));
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

/**
 * Changes a member's role. Making someone an owner, or taking ownership away, hands over or removes
 * control of members, API keys and signing keys: it needs the member's e-mail typed again
 * (`confirmedEmail`), or 409 `confirmation_required`.
 */
export async function changeMemberRole(
  db: Database,
  ctx: TenantContext,
  userId: string,
  role: MemberRole,
  options: { confirmedEmail?: string } = {},
): Promise<MemberView | null> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ role: memberships.role, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(forTenant(ctx, memberships.tenantId, eq(memberships.userId, userId)));
    if (!current) return null;
    const ownership = current.role !== role && (role === "owner" || current.role === "owner");
    if (ownership && options.confirmedEmail?.trim().toLowerCase() !== current.email) {
      const change = role === "owner" ? `Making ${current.email} an owner` : `Taking ownership from ${current.email}`;
      throw new AppError("confirmation_required", `${change} needs confirmEmail "${current.email}"`, {
        details: { confirm: { confirmEmail: current.email } },
      });
    }
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
      .returning({ userId: memberships.userId, role: memberships.role });
    if (deleted.length === 0) return false;
    // A removed person's open sessions end here, in every tenant (they may sign in again elsewhere).
    await endUserSessions(tx, userId);
    // Who they were is kept with the event: their earlier changes stay attributed to a name and e-mail.
    const [person] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
    await recordAuditEvent(tx, ctx, {
      action: "member.removed",
      target: userId,
      data: { email: person?.email ?? null, name: person?.name ?? null, role: deleted[0]!.role },
    });
    return true;
  });
}
