import type { Database } from "@/db/client";
import { claimAccountForSso, findUserByEmail } from "@/db/queries/users";

/**
 * The account a single-sign-on identity signs in to: the existing account with the identity
 * provider's verified e-mail, or null (SSO creates no accounts). An account can be created for an
 * e-mail nobody proved (open sign-up, or an invitation link opened by whoever holds it), so the first
 * SSO sign-in claims it for the verified owner: its password is cleared and every session signed in
 * with it ends. From then on the account signs in through SSO only, and a password someone else set
 * keeps no access.
 */
export async function ssoAccountFor(
  db: Database,
  profile: { email?: string | null; email_verified?: boolean | null },
): Promise<string | null> {
  if (!profile.email || profile.email_verified === false) return null;
  const user = await findUserByEmail(db, profile.email);
  if (!user) return null;
  if (user.passwordHash !== null) await claimAccountForSso(db, user.id);
  return user.id;
}
