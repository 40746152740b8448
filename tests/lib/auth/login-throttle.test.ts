import { afterEach, describe, expect, it } from "vitest";
import { rateLimitBuckets } from "@/db/schema";
import { authorizeCredentials } from "@/lib/auth/credentials";
import { loginThrottle } from "@/lib/auth/login-throttle";
import { signInWithPassword } from "../../setup/auth-js";
import { createTestTenant, setupTestDatabase, unique } from "../../setup/database";

const db = setupTestDatabase();
const hopsBefore = process.env.TRUSTED_PROXY_HOPS;
afterEach(() => {
  if (hopsBefore === undefined) delete process.env.TRUSTED_PROXY_HOPS;
  else process.env.TRUSTED_PROXY_HOPS = hopsBefore;
});

/** Signs in through the real Auth.js handler; "ok", "rate_limited" or "invalid" from where it redirects. */
async function attempt(
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<"ok" | "rate_limited" | "invalid"> {
  const { jar, response } = await signInWithPassword(email, password, headers);
  if (jar.has("authjs.session-token")) return "ok";
  return new URL(response.headers.get("location") ?? "", "http://x").searchParams.get("code") === "rate_limited"
    ? "rate_limited"
    : "invalid";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Every attempt pays a full scrypt; on a busy machine that is seconds each.
const slow = 240_000;

/** Runs `count` attempts a few at a time (their order does not matter) and returns the outcomes. */
async function inBatches(count: number, run: (i: number) => Promise<string>): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < count; i += 4)
    outcomes.push(...(await Promise.all(Array.from({ length: Math.min(4, count - i) }, (_, j) => run(i + j)))));
  return outcomes;
}

describe("sign-in limits", () => {
  it(
    "does not let someone else's failures rate-limit another account's right password (no forwarded headers)",
    async () => {
      const t = await createTestTenant(db());
      const failures = await inBatches(52, () => attempt(`${unique("nobody")}@example.test`, "guess-guess"));
      expect(failures.every((o) => o === "invalid")).toBe(true);
      expect(await attempt(t.owner.email, t.owner.password)).toBe("ok");
    },
    slow,
  );

  it(
    "behind one trusted proxy, limits the address the proxy saw however the client rotates X-Forwarded-For",
    async () => {
      process.env.TRUSTED_PROXY_HOPS = "1";
      const proxySaw = "203.0.113.77";
      const spray = (i: number) =>
        attempt(`${unique("spray")}@example.test`, "Summer2026!", {
          "x-forwarded-for": `10.${i % 250}.${i}.1, ${proxySaw}`,
        });
      const first = await inBatches(loginThrottle.address.freeFailures, spray);
      expect(first.every((o) => o === "invalid")).toBe(true);
      for (let i = 0; i < 5; i += 1) expect(await spray(1000 + i)).toBe("rate_limited");
    },
    slow,
  );

  it(
    "lets the real owner sign in from their address while an attacker hammers the account from another",
    async () => {
      process.env.TRUSTED_PROXY_HOPS = "1";
      const t = await createTestTenant(db());
      const outcomes: string[] = [];
      for (let i = 0; i < 30; i += 1)
        outcomes.push(await attempt(t.owner.email, `wrong-${i}`, { "x-forwarded-for": "198.51.100.66" }));
      expect(outcomes).toContain("rate_limited");
      expect(await attempt(t.owner.email, t.owner.password, { "x-forwarded-for": "203.0.113.10" })).toBe("ok");
    },
    slow,
  );

  it(
    "with no known address, slows the account after many failures but lets the owner in after the backoff",
    async () => {
      const t = await createTestTenant(db());
      for (let i = 0; i < loginThrottle.account.freeFailures; i += 1) {
        expect(await authorizeCredentials(db(), { email: t.owner.email, password: `wrong-${i}` }, null)).toMatchObject({
          reason: "invalid_credentials",
        });
      }
      // The attacker keeps hammering: refused attempts are not counted, so they do not extend the wait.
      for (let i = 0; i < 20; i += 1)
        await authorizeCredentials(db(), { email: t.owner.email, password: `more-${i}` }, null);
      const waits: number[] = [];
      let outcome = await authorizeCredentials(db(), { email: t.owner.email, password: t.owner.password }, null);
      // The owner waits as told (never more than the cap) and gets in; on a slow machine the attacker got a few more tries in.
      while (!outcome.ok && waits.length < 3) {
        expect(outcome).toMatchObject({ reason: "rate_limited" });
        waits.push(outcome.retryAfterSeconds ?? 0);
        expect(outcome.retryAfterSeconds).toBeLessThanOrEqual(loginThrottle.account.maxDelaySeconds);
        await sleep((outcome.retryAfterSeconds ?? 1) * 1000 + 100);
        outcome = await authorizeCredentials(db(), { email: t.owner.email, password: t.owner.password }, null);
      }
      expect(outcome).toMatchObject({ ok: true, user: { id: t.owner.id } });
    },
    slow,
  );

  it("never makes the owner wait longer than the account-wide cap, however long the streak", async () => {
    const t = await createTestTenant(db());
    await db()
      .insert(rateLimitBuckets)
      .values({ key: `login:account:${t.owner.email}`, hits: 100_000, windowStartedAt: new Date() });
    const limited = await authorizeCredentials(db(), { email: t.owner.email, password: t.owner.password }, "192.0.2.1");
    expect(limited).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(limited.ok === false && limited.retryAfterSeconds).toBeLessThanOrEqual(
      loginThrottle.account.maxDelaySeconds,
    );
  });

  it(
    "backs off one address guessing one account without touching other addresses",
    async () => {
      const t = await createTestTenant(db());
      const attacker = unique("ip");
      const results = [];
      for (let i = 0; i < loginThrottle.accountAddress.freeFailures + 3; i += 1) {
        results.push(await authorizeCredentials(db(), { email: t.owner.email, password: `wrong-${i}` }, attacker));
      }
      expect(results.at(-1)).toMatchObject({ ok: false, reason: "rate_limited" });
      expect(
        await authorizeCredentials(db(), { email: t.owner.email, password: t.owner.password }, attacker),
      ).toMatchObject({ reason: "rate_limited" });
      expect(
        await authorizeCredentials(db(), { email: t.owner.email, password: t.owner.password }, unique("ip")),
      ).toMatchObject({ ok: true });
    },
    slow,
  );
});
