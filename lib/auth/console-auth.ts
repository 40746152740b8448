import { getToken } from "next-auth/jwt";
import type { Database } from "@/db/client";
import { findMembershipRole, listMembershipsOfUser } from "@/db/queries/users";
import type { User } from "@/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { liveSessionUser } from "./session-version";
import { authSecret, sessionCookieNames } from "./settings";
import { issueTenantContext, type TenantContext } from "./tenant-context";

/** Cookie that remembers which of the user's tenants the console shows; checked against memberships. */
export const activeTenantCookie = "stepauth-tenant";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The signed-in user from the Auth.js session cookie on `headers`, or null. A cookie whose session
 * was ended server-side (sign-out, password change, removal) counts as no cookie.
 */
export async function sessionUser(db: Database, headers: Headers): Promise<User | null> {
  for (const cookieName of sessionCookieNames()) {
    const token = await getToken({
      req: { headers },
      secret: authSecret(),
      cookieName,
      salt: cookieName,
      secureCookie: cookieName.startsWith("__Secure-"),
    });
    if (token) return liveSessionUser(db, token);
  }
  return null;
}

/** The signed-in user's id (see `sessionUser`), or null. */
export async function sessionUserId(db: Database, headers: Headers): Promise<string | null> {
  return (await sessionUser(db, headers))?.id ?? null;
}

/**
 * Resolves the console's TenantContext for a user: the tenant named by the cookie when the user is
 * a member of it, else the user's first tenant. Roles are read from the database on every call,
 * so a demotion or removal takes effect at once, not when the session expires.
 */
export async function consoleContextForUser(
  db: Database,
  userId: string,
  requestedTenantId?: string | null,
): Promise<TenantContext> {
  // The cookie is the browser's word: anything but a UUID names no tenant (and must not reach SQL).
  if (requestedTenantId && UUID.test(requestedTenantId)) {
    const role = await findMembershipRole(db, requestedTenantId, userId);
    if (role) return issueTenantContext(requestedTenantId, { type: "user", userId, role });
  }
  const [first] = await listMembershipsOfUser(db, userId);
  if (!first) throw new AppError("forbidden", "You are not a member of any tenant");
  return issueTenantContext(first.tenantId, { type: "user", userId, role: first.role });
}

export function cookieValue(headers: Headers, name: string): string | null {
  const header = headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join("="));
    } catch {
      return null;
    }
  }
  return null;
}

/** Authenticates a console request (route handler) from its session cookie. */
export async function authenticateConsoleRequest(db: Database, headers: Headers): Promise<TenantContext> {
  const userId = await sessionUserId(db, headers);
  if (!userId) throw new AppError("unauthenticated", "Sign in first");
  const requested = cookieValue(headers, activeTenantCookie);
  if (requested && !UUID.test(requested))
    throw new AppError("validation_failed", `The ${activeTenantCookie} cookie is not a tenant id`);
  return consoleContextForUser(db, userId, requested);
}
