import { z } from "zod";
import type { Database } from "@/db/client";
import { findUserByEmail, normalizeEmail } from "@/db/queries/users";
import { beginLoginAttempt } from "./login-throttle";
import { verifyPassword } from "./password";

export const credentialsSchema = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});

export type CredentialsOutcome =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: "invalid_credentials" | "rate_limited"; retryAfterSeconds?: number };

/**
 * Checks an e-mail and password. An unknown e-mail and a wrong password take the same path (a full
 * scrypt against a dummy hash) and give the same answer, so neither timing nor reply tells them apart.
 * `clientAddress` comes from `lib/net/client-address.ts`; null (unknown) leaves only the account-wide limit.
 */
export async function authorizeCredentials(
  db: Database,
  input: unknown,
  clientAddress: string | null,
): Promise<CredentialsOutcome> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid_credentials" };
  const email = normalizeEmail(parsed.data.email);
  const attempt = await beginLoginAttempt(db, email, clientAddress);
  if (attempt.retryAfterSeconds > 0)
    return { ok: false, reason: "rate_limited", retryAfterSeconds: attempt.retryAfterSeconds };
  const user = await findUserByEmail(db, email);
  const valid = await verifyPassword(parsed.data.password, user?.passwordHash ?? null);
  if (!user || !valid) return { ok: false, reason: "invalid_credentials" };
  await attempt.succeeded();
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
