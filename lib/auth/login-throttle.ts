import type { Database } from "@/db/client";
import { readFailureStreaks, recordFailures, resetRateLimits, type FailureStreak } from "@/db/queries/rate-limits";

/**
 * Sign-in limits. Failures only are counted, and an attempt refused by a limit is not counted, so an
 * attacker cannot extend a wait by hammering. No limit locks an account for long: guessing from one
 * address backs off exponentially for that address only; the account-wide limit only slows.
 */
export const loginThrottle = {
  /** A failure streak ends this long after its last failure. */
  forgetAfterSeconds: 15 * 60,
  /** One account from one known address: 5 free failures, then 1 s, 2 s, 4 s … up to 15 minutes. */
  accountAddress: { freeFailures: 5, maxDelaySeconds: 15 * 60 },
  /** One account from anywhere (the only limit when the address is unknown): 20 free, then at most 30 s apart. */
  account: { freeFailures: 20, maxDelaySeconds: 30 },
  /** One known address across all accounts (spraying): 50 failures, then refused until the streak is over. */
  address: { freeFailures: 50 },
} as const;

type Rule = { key: string; delaySeconds: (failures: number) => number };

const backoff = (free: number, max: number) => (failures: number) =>
  failures < free ? 0 : Math.min(max, 2 ** (failures - free));

/** IPv6 clients are limited per /64: one host usually holds a whole /64 and could rotate through it. */
export function addressBucket(address: string): string {
  if (!address.includes(":")) return address;
  const [head = "", tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}

function rulesFor(email: string, address: string | null): Rule[] {
  const { accountAddress, account, address: perAddress, forgetAfterSeconds } = loginThrottle;
  const rules: Rule[] = [
    { key: `login:account:${email}`, delaySeconds: backoff(account.freeFailures, account.maxDelaySeconds) },
  ];
  if (address) {
    const bucket = addressBucket(address);
    rules.push(
      {
        key: `login:account-address:${email}|${bucket}`,
        delaySeconds: backoff(accountAddress.freeFailures, accountAddress.maxDelaySeconds),
      },
      {
        key: `login:address:${bucket}`,
        delaySeconds: (failures) => (failures < perAddress.freeFailures ? 0 : forgetAfterSeconds),
      },
    );
  }
  return rules;
}

function secondsToWait(rule: Rule, streak: FailureStreak | undefined): number {
  if (!streak) return 0;
  return Math.max(0, rule.delaySeconds(streak.failures) - streak.secondsSinceLast);
}

/**
 * Checks the limits for a sign-in attempt and, when allowed, counts it as a failure up front (so
 * parallel guesses cannot all slip through while the password is hashed). Returns the seconds to
 * wait, or 0 with `succeeded` to call when the password was right.
 */
export async function beginLoginAttempt(
  db: Database,
  email: string,
  address: string | null,
): Promise<{ retryAfterSeconds: number; succeeded: () => Promise<void> }> {
  const rules = rulesFor(email, address);
  const streaks = await readFailureStreaks(
    db,
    rules.map((r) => r.key),
    loginThrottle.forgetAfterSeconds,
  );
  const wait = Math.max(...rules.map((rule) => secondsToWait(rule, streaks.get(rule.key))));
  if (wait > 0) return { retryAfterSeconds: Math.max(1, Math.ceil(wait)), succeeded: async () => {} };
  await recordFailures(
    db,
    rules.map((r) => r.key),
    loginThrottle.forgetAfterSeconds,
  );
  // Success clears this account's streaks, not the address's: one valid account must not reset spraying.
  const accountKeys = rules.filter((r) => !r.key.startsWith("login:address:")).map((r) => r.key);
  return { retryAfterSeconds: 0, succeeded: () => resetRateLimits(db, accountKeys) };
}
