import { z } from "zod";
import { findUserById, setUserPasswordHash } from "@/db/queries/users";
import { recordAuditEvent } from "@/db/queries/audit";
import { beginLoginAttempt } from "@/lib/auth/login-throttle";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/errors/app-error";
import { apiRoute, json, withConsoleSession } from "@/lib/http/api-route";
import { clientAddress } from "@/lib/http/client-address";
import { readJsonBody } from "@/lib/http/json-body";

const changePasswordSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(12).max(1024),
});

// The signed-in person's own password. Every role holds requests:read, so every member may change it.
// Success ends every session of the account, this one included: the person signs in again.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession("requests:read", async ({ db, ctx, request }) => {
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
  }),
});
