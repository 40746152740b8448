import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

/** The cheapest statement that proves the database answers (GET /api/health); reads no table, so no tenant. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}
