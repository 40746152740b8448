import { z } from "zod";
import { recordAuditEvent } from "@/db/queries/audit";
import { memberRoles } from "@/db/enum-values";
import { createInvitation, revokeInvitation } from "@/db/queries/invitations";
import { changeMemberRole, removeMember } from "@/db/queries/members";
import { findMembershipRole, findUserById, setUserPasswordHash } from "@/db/queries/users";
import { activeTenantCookie } from "@/lib/auth/console-auth";
import { beginLoginAttempt } from "@/lib/auth/login-throttle";
import { invitationUrl } from "@/lib/auth/onboarding-settings";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { consoleQueryLoaders } from "@/lib/console/queries";
import { AppError } from "@/lib/errors/app-error";
import { json, type TenantRequest } from "../api-route";
import { clientAddress } from "@/lib/net/client-address";
import { readJsonBody } from "../json-body";
import { uuidParam } from "../params";

// The console's people: members and their roles, invitations, the signed-in person's password and
// which of their tenants is active.

export async function listMembersRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await consoleQueryLoaders.members(db, ctx));
}

// Adding a member invites them: the invitee sets their own password (or, having an account, accepts
// while signed in as it). Other fields an older client sends (name, initialPassword) are ignored.
const addMemberSchema = z.object({
  email: z.email().max(320),
  role: z.enum(memberRoles),
});

export async function inviteMemberRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const input = await readJsonBody(request, addMemberSchema);
  const createdBy = ctx.actor.type === "user" ? ctx.actor.userId : null;
  const { invitation, token } = await createInvitation(db, ctx, { ...input, createdBy });
  // The link is shown once, to the inviter, who passes it on (this deployment sends no mail).
  // The origin the inviter uses (a mutation's Origin header is checked to match the host already).
  const inviterOrigin = request.headers.get("origin") ?? new URL(request.url).origin;
  return json({ invitation, inviteUrl: invitationUrl(token, inviterOrigin) }, 201);
}

// Promotion to owner or demotion of an owner also needs `confirmEmail` (see changeMemberRole).
const changeRoleSchema = z.object({
  role: z.enum(memberRoles),
  confirmEmail: z.string().max(320).optional(),
});
type MemberParams = { userId: string };

export async function changeMemberRoleRoute({ db, ctx, request, params }: TenantRequest<MemberParams>) {
  const { role, confirmEmail } = await readJsonBody(request, changeRoleSchema);
  const member = await changeMemberRole(db, ctx, uuidParam(params.userId, "member"), role, {
    confirmedEmail: confirmEmail,
  });
  if (!member) throw new AppError("not_found", "No such member");
  return json(member);
}

export async function removeMemberRoute({ db, ctx, params }: TenantRequest<MemberParams>) {
  if (!(await removeMember(db, ctx, uuidParam(params.userId, "member"))))
    throw new AppError("not_found", "No such member");
  return new Response(null, { status: 204 });
}

export async function listInvitationsRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await consoleQueryLoaders.invitations(db, ctx));
}

export async function revokeInvitationRoute({ db, ctx, params }: TenantRequest<{ id: string }>) {
  if (!(await revokeInvitation(db, ctx, uuidParam(params.id, "invitation"))))
    throw new AppError("not_found", "No such pending invitation");
  return new Response(null, { status: 204 });
}

const changePasswordSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(12).max(1024),
});

/** Success ends every session of the account, this one included: the person signs in again. */
export async function changePasswordRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const input = await readJsonBody(request, changePasswordSchema);
  if (ctx.actor.type !== "user") throw new AppError("forbidden", "Only a signed-in person has a password");
  const userId = ctx.actor.userId;
  const user = await findUserById(db, userId);
  if (!user) throw new AppError("unauthenticated", "Sign in first");
  // The same limits as sign-in: a stolen session must not become a way to guess the password.
  const attempt = await beginLoginAttempt(db, user.email, clientAddress(request.headers));
  if (attempt.retryAfterSeconds > 0)
    throw new AppError("rate_limited", "Too many wrong passwords", { retryAfter: attempt.retryAfterSeconds });
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError("invalid_credentials", "The current password is wrong");
  }
  await attempt.succeeded();
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    if (!(await setUserPasswordHash(tx, userId, passwordHash))) throw new AppError("not_found", "No such user");
    await recordAuditEvent(tx, ctx, { action: "user.password_changed", target: userId });
  });
  return json({ changed: true, signedOut: true });
}

const switchTenantSchema = z.object({ tenantId: z.uuid() });

/** The tenant switcher: remembers the chosen tenant, only if the signed-in person belongs to it. */
export async function switchTenantRoute({ db, ctx, request }: TenantRequest<unknown>) {
  const { tenantId } = await readJsonBody(request, switchTenantSchema);
  const role = ctx.actor.type === "user" ? await findMembershipRole(db, tenantId, ctx.actor.userId) : null;
  if (!role) throw new AppError("forbidden", "You are not a member of that tenant");
  const https = new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  // The cookie only names a choice: every request checks the membership again (consoleContextForUser).
  const cookie = `${activeTenantCookie}=${tenantId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${365 * 24 * 60 * 60}${https ? "; Secure" : ""}`;
  return json({ tenantId, role }, 200, { "set-cookie": cookie });
}
