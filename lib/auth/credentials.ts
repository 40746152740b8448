import { z } from "zod";
import type { Database } from "@/db/client";
import { hitRateLimit, resetRateLimit } from "@/db/queries/rate-limits";
import { findUserByEmail, normalizeEmail } from "@/db/queries/users";
import { verifyPassword } from "./password";

export const credentialsSchema = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});

// Per account: slows guessing one password; per address: slows spraying many accounts.
export const loginLimits = { perEmail: 10, perIp: 50, windowSeconds: 15 * 60 } as const;

export type CredentialsOutcome =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: "invalid_credentials" | "rate_limited"; retryAfterSeconds?: number };

/**
 * Checks an e-mail and password. An unknown e-mail and a wrong password take the same path (a full
 * scrypt against a dummy hash) and give the same answer, so neither timing nor reply tells them apart.
 */
export async function authorizeCredentials(db: Database, input: unknown, clientIp: string): Promise<CredentialsOutcome> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid_credentials" };
  const email = normalizeEmail(parsed.data.email);
  const byEmail = await hitRateLimit(db, `login:email:${email}`, loginLimits.perEmail, loginLimits.windowSeconds);
  const byIp = await hitRateLimit(db, `login:ip:${clientIp}`, loginLimits.perIp, loginLimits.windowSeconds);
  if (!byEmail.allowed || !byIp.allowed) {
    return { ok: false, reason: "rate_limited", retryAfterSeconds: Math.max(byEmail.retryAfterSeconds, byIp.retryAfterSeconds) };
  }
  const user = await findUserByEmail(db, email);
  const valid = await verifyPassword(parsed.data.password, user?.passwordHash ?? null);
  if (!user || !valid) return { ok: false, reason: "invalid_credentials" };
  await resetRateLimit(db, `login:email:${email}`);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}

/** The caller's address as the first proxy saw it; "unknown" keeps all header-less callers in one bucket. */
export function clientIpOf(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
}
