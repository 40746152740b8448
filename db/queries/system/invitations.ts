import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invitations, tenants, type MemberRole } from "@/db/schema";
import { invitationTokenHash } from "../invitations";

// Deliberately cross-tenant: an invitation link names its tenant only through the token, so these
// look it up by the token's hash. Knowing a token is what an invitee proves; nothing else is read.

export interface PendingInvitation {
  id: string;
  tenantId: string;
  tenantName: string;
  email: string;
  role: MemberRole;
  expiresAt: Date;
}

const usable = (tokenHash: string) =>
  and(eq(invitations.tokenHash, tokenHash), isNull(invitations.acceptedAt), gt(invitations.expiresAt, sql`now()`));

/** The invitation a link's token opens, if it is still unused and unexpired. */
export async function findPendingInvitation(db: Database, token: string): Promise<PendingInvitation | null> {
  const [row] = await db
    .select({
      id: invitations.id,
      tenantId: invitations.tenantId,
      tenantName: tenants.name,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
    .where(usable(invitationTokenHash(token)));
  return row ?? null;
}

/**
 * Marks the token's invitation accepted by `userId`, in one conditional write: of two concurrent
 * acceptances exactly one gets the row. Null when the token is unknown, used or expired.
 */
export async function claimInvitation(
  db: Database,
  token: string,
  userId: string | null,
): Promise<{ id: string; tenantId: string; email: string; role: MemberRole } | null> {
  const [row] = await db
    .update(invitations)
    .set({ acceptedAt: sql`now()`, acceptedBy: userId })
    .where(usable(invitationTokenHash(token)))
    .returning({
      id: invitations.id,
      tenantId: invitations.tenantId,
      email: invitations.email,
      role: invitations.role,
    });
  return row ?? null;
}
