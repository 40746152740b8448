import { describe, expect, it } from "vitest";
import { authorizeCredentials } from "@/lib/auth/credentials";
import { loginThrottle } from "@/lib/auth/login-throttle";
import { createTestTenant, unique, setupTestDatabase } from "../../setup/database";

const db = setupTestDatabase();

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

describe("authorizeCredentials", () => {
  it("signs in with the right password, case-insensitively on the e-mail", async () => {
    const tenant = await createTestTenant(db());
    const outcome = await authorizeCredentials(
      db(),
      { email: tenant.owner.email.toUpperCase(), password: tenant.owner.password },
      unique("ip"),
    );
    expect(outcome).toEqual({ ok: true, user: expect.objectContaining({ id: tenant.owner.id }) });
  });

  it("answers a wrong password and an unknown e-mail the same way, both paying for a full scrypt", async () => {
    const tenant = await createTestTenant(db());
    const [wrong, wrongMs] = await timed(() =>
      authorizeCredentials(db(), { email: tenant.owner.email, password: "nope-nope-nope" }, unique("ip")),
    );
    const [unknown, unknownMs] = await timed(() =>
      authorizeCredentials(
        db(),
        { email: `${unique("ghost")}@example.test`, password: "nope-nope-nope" },
        unique("ip"),
      ),
    );
    expect(wrong).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(unknown).toEqual(wrong);
    // The unknown e-mail still runs scrypt (tens of milliseconds), not a quick early return.
    expect(unknownMs).toBeGreaterThan(wrongMs * 0.4);
  });

  it("rate-limits repeated attempts on one account, even with the right password afterwards", async () => {
    const tenant = await createTestTenant(db());
    const ip = unique("ip");
    for (let i = 0; i < loginThrottle.accountAddress.freeFailures + 5; i += 1) {
      expect((await authorizeCredentials(db(), { email: tenant.owner.email, password: `wrong-${i}` }, ip)).ok).toBe(
        false,
      );
    }
    const limited = await authorizeCredentials(
      db(),
      { email: tenant.owner.email, password: tenant.owner.password },
      ip,
    );
    expect(limited).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(limited.ok === false && limited.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("refuses malformed input without touching the database", async () => {
    expect(await authorizeCredentials(db(), { email: 42 }, "ip")).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await authorizeCredentials(db(), null, "ip")).toEqual({ ok: false, reason: "invalid_credentials" });
  });
});
