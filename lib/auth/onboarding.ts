import { z } from "zod";
import type { Database } from "@/db/client";
import { recordAuditEvent } from "@/db/queries/audit";
import { createInvitation } from "@/db/queries/invitations";
import { addMember } from "@/db/queries/members";
import { hitRateLimit } from "@/db/queries/rate-limits";
import { createSigningKey } from "@/db/queries/signing-keys";
import { claimInvitation, findPendingInvitation } from "@/db/queries/system/invitations";
import { insertTenant } from "@/db/queries/system/tenants";
import { findUserById, insertUserUnlessEmailTaken, normalizeEmail } from "@/db/queries/users";
import { AppError } from "@/lib/errors/app-error";
import { refineReadable } from "@/lib/stepauth";
import { addressBucket } from "./login-throttle";
import { hashPassword } from "./password";
import { signupMode } from "./onboarding-settings";
import { issueTenantContext, type TenantContext } from "./tenant-context";

export const newPasswordSchema = z.string().min(12).max(1024);
// Names are read by people (member lists, the tenant switcher, reviewers' cards): they must display as they are.
export const personNameSchema = z.string().trim().min(1).max(200).superRefine(refineReadable("name"));
export const tenantNameSchema = z.string().trim().min(1).max(200).superRefine(refineReadable("tenantName"));

export const signupSchema = z.object({
  name: personNameSchema,
  email: z.email().max(320),
  password: newPasswordSchema,
  tenantName: tenantNameSchema,
});

// Each sign-up costs a 32 MiB scrypt and creates rows: at most this many per address and hour, and,
// where no trusted proxy tells the address (see lib/net/client-address.ts), this many in all.
export const signupLimit = { perIp: 10, unknownAddress: 100, windowSeconds: 60 * 60 } as const;

/** A new tenant with its first signing key; `ctx` is the owner's (or, with no owner yet, the system's). */
async function createTenant(tx: Database, name: string, owner: { userId: string } | null): Promise<TenantContext> {
  const tenant = await insertTenant(tx, name);
  // The tenant was created just now, in this transaction: its first context is minted here.
  const ctx = owner
    ? issueTenantContext(tenant.id, { type: "user", userId: owner.userId, role: "owner" })
    : issueTenantContext(tenant.id, { type: "system", component: "onboarding" }, []);
  if (owner) await addMember(tx, ctx, owner.userId, "owner");
  await createSigningKey(tx, ctx);
  await recordAuditEvent(tx, ctx, { action: "tenant.created", data: { name } });
  return ctx;
}

/**
 * Self-service sign-up (SIGNUP_MODE=open): a person, a new tenant and their owner membership, in
 * one transaction. An e-mail that already has an account is refused without touching it; the
 * refusal says to sign in, never anything about that account's tenants.
 */
export async function signUpWithNewTenant(
  db: Database,
  input: unknown,
  clientIp: string | null,
): Promise<{ userId: string; tenantId: string; email: string }> {
  if (signupMode() !== "open") throw new AppError("signup_closed", "Sign-up is by invitation only");
  const data = signupSchema.parse(input);
  const limit = clientIp
    ? await hitRateLimit(db, `signup:ip:${addressBucket(clientIp)}`, signupLimit.perIp, signupLimit.windowSeconds)
    : await hitRateLimit(db, "signup:unknown-address", signupLimit.unknownAddress, signupLimit.windowSeconds);
  if (!limit.allowed)
    throw new AppError("rate_limited", "Too many sign-ups from this address", { retryAfter: limit.retryAfterSeconds });
  const email = normalizeEmail(data.email);
  const passwordHash = await hashPassword(data.password);
  return db.transaction(async (tx) => {
    const user = await insertUserUnlessEmailTaken(tx, { email, name: data.name, passwordHash });
    if (!user)
      throw new AppError("account_exists", "This e-mail cannot sign up again. If it is yours, sign in instead.");
    const ctx = await createTenant(tx, data.tenantName, { userId: user.id });
    return { userId: user.id, tenantId: ctx.tenantId, email };
  });
}

/** For operators (`npm run tenant:create`): a tenant with no members yet and a link that makes `ownerEmail` its owner. */
export async function createTenantWithOwnerInvitation(
  db: Database,
  input: { name: string; ownerEmail: string },
): Promise<{ tenantId: string; token: string }> {
  const name = tenantNameSchema.parse(input.name);
  const email = z.email().max(320).parse(input.ownerEmail.trim());
  return db.transaction(async (tx) => {
    const ctx = await createTenant(tx, name, null);
    const { token } = await createInvitation(tx, ctx, { email, role: "owner", createdBy: null });
    return { tenantId: ctx.tenantId, token };
  });
}

export type InvitationAcceptor =
  | { kind: "new_account"; name: string; password: string }
  /** The signed-in user, from the session: must be the very account the invitation names. */
  | { kind: "signed_in"; userId: string };

async function insertInvitedUser(
  tx: Database,
  email: string,
  fresh: { name: string; passwordHash: string },
): Promise<string> {
  const user = await insertUserUnlessEmailTaken(tx, { email, ...fresh });
  if (!user) throw new AppError("account_exists", "An account with this e-mail exists: sign in as it to accept");
  return user.id;
}

async function signedInInvitee(tx: Database, acceptor: InvitationAcceptor, email: string): Promise<string> {
  const user = acceptor.kind === "signed_in" ? await findUserById(tx, acceptor.userId) : null;
  if (!user || user.email !== email) throw new AppError("wrong_account", "This invitation is for another account");
  return user.id;
}

/**
 * Accepts an invitation, once. A new person sets their own name and password here; an existing
 * account must be the signed-in user, so no one else's password ever opens the tenant. Invalid,
 * used or expired tokens and wrong accounts change nothing.
 */
export async function acceptInvitation(
  db: Database,
  token: string,
  acceptor: InvitationAcceptor,
): Promise<{ tenantId: string; userId: string; email: string }> {
  // A cheap look-up first, so a guessed token never costs a 32 MiB scrypt; the claim below decides.
  if (!(await findPendingInvitation(db, token)))
    throw new AppError("invalid_invitation", "This invitation link is invalid, already used or expired");
  const fresh =
    acceptor.kind === "new_account"
      ? {
          name: personNameSchema.parse(acceptor.name),
          passwordHash: await hashPassword(newPasswordSchema.parse(acceptor.password)),
        }
      : null;
  return db.transaction(async (tx) => {
    const pending = await findPendingInvitation(tx, token);
    if (!pending) throw new AppError("invalid_invitation", "This invitation link is invalid, already used or expired");
    const userId = fresh
      ? await insertInvitedUser(tx, pending.email, fresh)
      : await signedInInvitee(tx, acceptor, pending.email);
    const claimed = await claimInvitation(tx, token, userId);
    if (!claimed) throw new AppError("invalid_invitation", "This invitation link is invalid, already used or expired");
    // The tenant comes from the invitation row this transaction just claimed.
    const ctx = issueTenantContext(claimed.tenantId, { type: "user", userId, role: claimed.role });
    await addMember(tx, ctx, userId, claimed.role);
    await recordAuditEvent(tx, ctx, {
      action: "member.joined",
      target: userId,
      data: { email: claimed.email, role: claimed.role, invitationId: claimed.id },
    });
    return { tenantId: claimed.tenantId, userId, email: claimed.email };
  });
}
