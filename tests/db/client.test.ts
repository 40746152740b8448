import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { chooseDriver, createDatabase, routeNeonThroughLocalProxy } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { hitRateLimit } from "@/db/queries/rate-limits";
import { seedDemoTenant } from "@/db/seed";
import { tenants } from "@/db/schema";
import { unique, setupTestDatabase } from "../setup/database";
import { startNeonWsProxy } from "../setup/neon-ws-proxy";
import { createScratchDatabase } from "../setup/scratch-database";

const db = setupTestDatabase();

describe("driver choice", () => {
  it("picks PGlite without a URL, Neon for Neon hosts, node-postgres otherwise", () => {
    // By host name when DATABASE_DRIVER forces nothing (the suite itself may run with it set to neon).
    const byHost = (url: string | undefined) => chooseDriver(url, "");
    expect(byHost(undefined)).toBe("pglite");
    expect(byHost("")).toBe("pglite");
    expect(byHost("postgresql://u:p@ep-cool-star-123.eu-central-1.aws.neon.tech/db?sslmode=require")).toBe("neon");
    expect(byHost("postgres://postgres@127.0.0.1:5432/app")).toBe("node-postgres");
    expect(byHost("postgres://u@db.notneon.tech.example.com/app")).toBe("node-postgres");
    expect(chooseDriver("postgres://postgres@127.0.0.1:5432/app", "neon")).toBe("neon");
    expect(chooseDriver(undefined, "neon")).toBe("pglite");
  });

  it("accepts only a loopback WebSocket proxy for Neon's driver (it is spoken to without TLS)", () => {
    expect(() => routeNeonThroughLocalProxy("db-proxy.example.com:443/v1")).toThrow(/loopback/);
    expect(() => routeNeonThroughLocalProxy("10.0.0.5:80/v1")).toThrow(/loopback/);
  });
});

// Neon's serverless driver for real: the PostgreSQL protocol over a WebSocket, through a proxy on
// loopback to the TEST_DATABASE_URL server, with the transactions and row locks the job queue needs.
describe.skipIf(!process.env.TEST_DATABASE_URL)("Neon's driver through a local WebSocket proxy", () => {
  it("runs queries, transactions and FOR UPDATE SKIP LOCKED", async () => {
    const proxy = await startNeonWsProxy();
    const saved = process.env.NEON_WS_PROXY;
    process.env.NEON_WS_PROXY = proxy.proxy;
    const neon = createDatabase(process.env.TEST_DATABASE_URL, undefined, "neon");
    try {
      const slug = unique("neon");
      await neon.db.transaction(async (tx) => {
        await tx.insert(tenants).values({ name: slug, slug });
        const locked = await tx.execute(sql`select id from tenants where slug = ${slug} for update skip locked`);
        expect((locked as unknown as { rows: unknown[] }).rows).toHaveLength(1);
      });
      await expect(
        neon.db.transaction(async (tx) => {
          await tx
            .update(tenants)
            .set({ name: "renamed" })
            .where(sql`slug = ${slug}`);
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      const [row] = await neon.db
        .select()
        .from(tenants)
        .where(sql`slug = ${slug}`);
      expect(row?.name).toBe(slug);
      expect(proxy.connections()).toBeGreaterThan(0);
    } finally {
      await neon.close();
      // Neon's proxy setting is process-wide: give the suite's own proxy back (TEST_DATABASE_DRIVER=neon).
      if (saved === undefined) delete process.env.NEON_WS_PROXY;
      else routeNeonThroughLocalProxy((process.env.NEON_WS_PROXY = saved));
      await proxy.close();
    }
  });
});

// PostgreSQL ends idle connections itself (a restart, a failover, an administrator, idle timeouts):
// the pool then emits `error`, and an error event nobody listens to ends the whole process. Seen as
// an "Uncaught Exception" (57P01) when the standalone smoke test dropped its database.
describe.skipIf(!process.env.TEST_DATABASE_URL)("a connection the server ends while idle", () => {
  it("is dropped from the pool, and the next query opens a new one", async () => {
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, `${unique("idle_end")}`);
    const handle = createDatabase(scratch.url);
    try {
      await handle.db.execute(sql`select 1`);
      const admin = createDatabase(process.env.TEST_DATABASE_URL!);
      try {
        const ended = await admin.db.execute(
          sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${new URL(scratch.url).pathname.slice(1)}`,
        );
        expect((ended as unknown as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
      } finally {
        await admin.close();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      const again = (await handle.db.execute(sql`select 2 as n`)) as unknown as { rows: { n: number }[] };
      expect(again.rows[0]!.n).toBe(2);
    } finally {
      await handle.close();
      await scratch.drop();
    }
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
