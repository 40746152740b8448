import { createHash, randomBytes } from "node:crypto";
import { asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invitations, memberships, users, type Invitation, type MemberRole } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { recordAuditEvent } from "./audit";
import { forTenant, tenantIdOf } from "./tenant-scope";
import { normalizeEmail } from "./users";

/** How long an invitation link works. */
export const invitationLifetimeSeconds = 7 * 24 * 60 * 60;

/** What the console shows of an invitation: never the token, never anything about the invitee's account. */
export type InvitationView = Pick<Invitation, "id" | "email" | "role" | "createdAt" | "expiresAt">;

const viewColumns = {
  id: invitations.id,
  email: invitations.email,
  role: invitations.role,
  createdAt: invitations.createdAt,
  expiresAt: invitations.expiresAt,
};

/** The stored form of a link's token: 256 random bits need no slow hash. */
export function invitationTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/**
 * Invites `email` to the tenant with `role` and returns the link's token, once. A pending invitation
 * to the same address is replaced. The answer is the same whether or not the address has an account
 * anywhere; only membership of this very tenant (visible on its members page already) is a conflict.
 */
export async function createInvitation(
  db: Database,
  ctx: TenantContext,
  input: { email: string; role: MemberRole; createdBy: string | null },
): Promise<{ invitation: InvitationView; token: string }> {
  const email = normalizeEmail(input.email);
  const token = randomBytes(32).toString("base64url");
  return db.transaction(async (tx) => {
    const [member] = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(forTenant(ctx, memberships.tenantId, eq(users.email, email)));
    if (member) throw new AppError("conflict", `${email} is already a member`);
    await tx
      .delete(invitations)
      .where(forTenant(ctx, invitations.tenantId, eq(invitations.email, email), isNull(invitations.acceptedAt)));
    const [invitation] = await tx
      .insert(invitations)
      .values({
        tenantId: tenantIdOf(ctx),
        email,
        role: input.role,
        tokenHash: invitationTokenHash(token),
        createdBy: input.createdBy,
        expiresAt: sql`now() + make_interval(secs => ${invitationLifetimeSeconds})`,
      })
      .returning(viewColumns);
    if (!invitation) throw new Error("invitation insert returned nothing");
    await recordAuditEvent(tx, ctx, {
      action: "invitation.created",
      target: invitation.id,
      data: { email, role: input.role },
    });
    return { invitation, token };
  });
}

/** Invitations not yet accepted and not expired, oldest first. */
export async function listPendingInvitations(db: Database, ctx: TenantContext): Promise<InvitationView[]> {
  return db
    .select(viewColumns)
    .from(invitations)
    .where(forTenant(ctx, invitations.tenantId, isNull(invitations.acceptedAt), gt(invitations.expiresAt, sql`now()`)))
    .orderBy(asc(invitations.createdAt));
}

/** Withdraws a pending invitation: its link stops working at once. */
export async function revokeInvitation(db: Database, ctx: TenantContext, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const deleted = await tx
      .delete(invitations)
      .where(forTenant(ctx, invitations.tenantId, eq(invitations.id, id), isNull(invitations.acceptedAt)))
      .returning({ id: invitations.id, email: invitations.email });
    if (deleted.length === 0) return false;
    await recordAuditEvent(tx, ctx, { action: "invitation.revoked", target: id, data: { email: deleted[0]?.email } });
    return true;
  });
}
