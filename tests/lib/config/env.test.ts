import { afterEach, describe, expect, it } from "vitest";
import { config, ConfigError, envSchema, parseConfig, resetConfigForTests } from "@/lib/config/env";

const saved = process.env.GATEWAY_JOB_LEASE_SECONDS;
afterEach(() => {
  if (saved === undefined) delete process.env.GATEWAY_JOB_LEASE_SECONDS;
  else process.env.GATEWAY_JOB_LEASE_SECONDS = saved;
});

describe("configuration from the environment", () => {
  it("gives every variable its default, counting empty and blank values as unset", () => {
    const parsed = parseConfig({ PORT: "", TRUSTED_PROXY_HOPS: "  " });
    expect(parsed.PORT).toBe(3000);
    expect(parsed.TRUSTED_PROXY_HOPS).toBe(0);
    expect(parsed.GATEWAY_JOB_LEASE_SECONDS).toBe(120);
    expect(parsed.GATEWAY_WORKER).toBe(true);
    expect(parsed.ALLOW_PRIVATE_NETWORK_URLS).toBeUndefined();
    expect(parsed.DATA_DIR).toBe(".data");
  });

  it("reads numbers, flags and choices", () => {
    const parsed = parseConfig({
      TRUSTED_PROXY_HOPS: " 2 ",
      GATEWAY_WORKER: "false",
      SIGNUP_MODE: "Invite",
      API_RATE_LIMIT_BURST: "50",
    });
    expect(parsed).toMatchObject({
      TRUSTED_PROXY_HOPS: 2,
      GATEWAY_WORKER: false,
      SIGNUP_MODE: "invite",
      API_RATE_LIMIT_BURST: 50,
    });
  });

  it.each([
    ["TRUSTED_PROXY_HOPS", "17"],
    ["TRUSTED_PROXY_HOPS", "1.5"],
    ["GATEWAY_JOB_LEASE_SECONDS", "0"],
    ["GATEWAY_WEBHOOK_TIMEOUT_MS", "0"],
    ["LONG_POLL_MAX_PER_TENANT", "many"],
    ["GATEWAY_WORKER", "no"],
    ["SIGNUP_MODE", "closed"],
    ["DATABASE_DRIVER", "mysql"],
    ["AUTH_URL", "console.example.com"],
  ])("refuses %s=%s with an error naming the variable", (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`^\\s+${name}: `, "m"));
  });

  it("caps the webhook timeout at 10 s and accepts any NODE_ENV, as the README documents", () => {
    expect(parseConfig({ GATEWAY_WEBHOOK_TIMEOUT_MS: "30000" }).GATEWAY_WEBHOOK_TIMEOUT_MS).toBe(10_000);
    expect(parseConfig({ GATEWAY_WEBHOOK_TIMEOUT_MS: "2500" }).GATEWAY_WEBHOOK_TIMEOUT_MS).toBe(2_500);
    expect(parseConfig({ NODE_ENV: "staging" }).NODE_ENV).toBe("staging");
  });

  it.each(["1", "TRUE", "yes"])("refuses the flag value %s, saying only true or false is read", (value) => {
    expect(() => parseConfig({ GATEWAY_WORKER: value })).toThrow(
      /^\s+GATEWAY_WORKER: must be exactly "true" or "false"$/m,
    );
  });

  it("names every invalid variable at once, and never a value (secrets live here too)", () => {
    const error = (() => {
      try {
        parseConfig({ PORT: "http", TENANT_MAX_QUEUED: "-1", DATABASE_URL: "secret-password-not-a-url" });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/^\s+PORT: /m);
    expect(error!.message).toMatch(/^\s+TENANT_MAX_QUEUED: /m);
    expect(error!.message).toMatch(/^\s+DATABASE_URL: /m);
    expect(error!.message).not.toContain("secret-password");
  });

  it("is read once: a later change is seen only after resetConfigForTests()", () => {
    resetConfigForTests();
    const first = config();
    expect(config()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    // tests/setup/env.ts resets on every change to process.env; this proves the reset is what re-reads.
    process.env.GATEWAY_JOB_LEASE_SECONDS = "7";
    expect(config().GATEWAY_JOB_LEASE_SECONDS).toBe(7);
    process.env.GATEWAY_JOB_LEASE_SECONDS = "nope";
    expect(() => config()).toThrow(/GATEWAY_JOB_LEASE_SECONDS/);
  });

  it("documents every variable", () => {
    for (const [name, schema] of Object.entries(envSchema.shape))
      expect(schema.description, `${name} has no .describe()`).toBeTruthy();
  });
});
