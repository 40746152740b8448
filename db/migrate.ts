import path from "node:path";
import { sql } from "drizzle-orm";
import { migrate as migrateNeon } from "drizzle-orm/neon-serverless/migrator";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { DatabaseHandle } from "./client";
import { config } from "@/lib/config/env";

// Resolved at run time from the working directory (the standalone server's own folder, where the
// build copies drizzle/); the ignore comment keeps the bundler from tracing the whole project for it.
const migrationsFolder = () => path.resolve(/*turbopackIgnore: true*/ config().MIGRATIONS_DIR);
// Arbitrary constant: the advisory lock that keeps two instances from migrating at once.
const MIGRATION_LOCK_ID = 7_482_301;

/** Applies pending migrations in drizzle/, serialised across app instances by an advisory lock. */
export async function runMigrations(handle: DatabaseHandle): Promise<void> {
  await handle.withSingleConnection(async (db) => {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`);
    try {
      const migrate = { pglite: migratePglite, "node-postgres": migrateNodePg, neon: migrateNeon }[handle.driver];
      await migrate(db as never, { migrationsFolder: migrationsFolder() });
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`);
    }
  });
}
