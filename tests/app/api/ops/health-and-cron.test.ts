import { afterEach, describe, expect, it } from "vitest";
import * as health from "@/app/api/health/route";
import * as tick from "@/app/api/cron/tick/route";
import { createDatabase, getDatabaseHandle } from "@/db/client";
import { callRoute } from "../../../setup/http";
import { setupTestDatabase } from "../../../setup/database";

setupTestDatabase();

describe("GET /api/health", () => {
  it("answers 200 with the driver once the database answers a query", async () => {
    const response = await callRoute(health.GET);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: "ok", database: getDatabaseHandle().driver });
    expect(response.body.databaseMs).toBeGreaterThanOrEqual(0);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 503 service_unavailable, not 500, when the database does not answer", async () => {
    const globalForDb = globalThis as unknown as { stepauthDatabase?: ReturnType<typeof createDatabase> };
    const real = globalForDb.stepauthDatabase;
    // A server that refuses connections: nothing listens on port 1 of loopback.
    const dead = createDatabase("postgres://postgres@127.0.0.1:1/none");
    globalForDb.stepauthDatabase = dead;
    try {
      const response = await callRoute(health.GET);
      expect(response.status).toBe(503);
      expect(response.body.error).toBe("service_unavailable");
      expect(response.headers.get("retry-after")).toBe("5");
    } finally {
      globalForDb.stepauthDatabase = real;
      await dead.close();
    }
  });

  it("answers other methods with a JSON 405", async () => {
    const response = await callRoute(health.POST, { method: "POST" });
    expect(response.status).toBe(405);
  });
});

describe("/api/cron/tick", () => {
  const saved = process.env.CRON_SECRET;
  afterEach(() => {
    if (saved === undefined) delete process.env.CRON_SECRET;
    else process.env.CRON_SECRET = saved;
  });

  it("runs due work on GET (as Vercel Cron calls it) and POST, only with the secret", async () => {
    process.env.CRON_SECRET = "cron-secret-for-tests-0123456789";
    for (const handler of [tick.GET, tick.POST]) {
      const refused = await callRoute(handler, { headers: { authorization: "Bearer wrong" } });
      expect(refused.status).toBe(401);
      const ran = await callRoute(handler, { headers: { authorization: `Bearer ${process.env.CRON_SECRET}` } });
      expect(ran.status).toBe(200);
      expect(typeof ran.body.ran).toBe("number");
    }
  });

  it("is refused while CRON_SECRET is unset", async () => {
    delete process.env.CRON_SECRET;
    const response = await callRoute(tick.GET, { headers: { authorization: "Bearer anything" } });
    expect(response.status).toBe(403);
  });
});
