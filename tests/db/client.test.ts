import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { chooseDriver, createDatabase } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { hitRateLimit } from "@/db/queries/rate-limits";
import { seedDemoTenant } from "@/db/seed";
import { tenants } from "@/db/schema";
import { unique, setupTestDatabase } from "../setup/database";

const db = setupTestDatabase();

describe("driver choice", () => {
  it("picks PGlite without a URL, Neon for Neon hosts, node-postgres otherwise", () => {
    expect(chooseDriver(undefined)).toBe("pglite");
    expect(chooseDriver("")).toBe("pglite");
    expect(chooseDriver("postgresql://u:p@ep-cool-star-123.eu-central-1.aws.neon.tech/db?sslmode=require")).toBe("neon");
    expect(chooseDriver("postgres://postgres@127.0.0.1:5432/app")).toBe("node-postgres");
    expect(chooseDriver("postgres://u@db.notneon.tech.example.com/app")).toBe("node-postgres");
  });
});

describe("migrations and seeding", () => {
  it("applies migrations idempotently on a fresh embedded database", async () => {
    const handle = createDatabase("", "memory://");
    try {
      await runMigrations(handle);
      await runMigrations(handle);
      const result = await handle.db.execute(sql`select count(*)::int as n from tenants`);
      expect((result as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(0);
    } finally {
      await handle.close();
    }
  });

  it("seeds the demo tenant once and never re-issues its secrets", async () => {
    const handle = createDatabase("", "memory://");
    try {
      await runMigrations(handle);
      const first = await seedDemoTenant(handle.db);
      expect(first?.apiKey).toMatch(/^sag_/);
      expect(first?.password.length).toBeGreaterThanOrEqual(16);
      expect(await seedDemoTenant(handle.db)).toBeNull();
      expect(await handle.db.select().from(tenants)).toHaveLength(1);
    } finally {
      await handle.close();
    }
  });
});

describe("rate limit counters", () => {
  it("count concurrent hits exactly", async () => {
    const key = unique("bucket");
    const results = await Promise.all(Array.from({ length: 12 }, () => hitRateLimit(db(), key, 10, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(results.filter((r) => !r.allowed).every((r) => r.retryAfterSeconds >= 1)).toBe(true);
  });
});
