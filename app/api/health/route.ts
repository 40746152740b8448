import { sql } from "drizzle-orm";
import { getDatabaseHandle } from "@/db/client";
import { apiRoute, json } from "@/lib/http/api-route";
import { AppError } from "@/lib/errors/app-error";

// Liveness and readiness for load balancers and container health checks: answers 200 only when
// the database answers a query. Unauthenticated, and says nothing a stranger could use.
const DATABASE_TIMEOUT_MS = 3_000;

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: async () => {
    const handle = getDatabaseHandle();
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        handle.db.execute(sql`select 1`),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timed out")), DATABASE_TIMEOUT_MS))),
      ]);
    } catch {
      throw new AppError("service_unavailable", "The database does not answer", { retryAfter: 5 });
    } finally {
      clearTimeout(timer);
    }
    return json({ status: "ok", database: handle.driver, databaseMs: Math.round(performance.now() - started) });
  },
});
