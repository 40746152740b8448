import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Pool as NeonPool, neonConfig } from "@neondatabase/serverless";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzleNeon } from "drizzle-orm/neon-serverless";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import ws from "ws";
import { dataDir } from "@/lib/config/data-dir";
import * as schema from "./schema";

export type Schema = typeof schema;
/** Driver-agnostic handle: PGlite, node-postgres and Neon all satisfy it, and so does a transaction. */
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DriverName = "pglite" | "node-postgres" | "neon";

export interface DatabaseHandle {
  db: Database;
  driver: DriverName;
  /** Runs `fn` with a handle bound to one connection (for advisory locks); PGlite has only one. */
  withSingleConnection<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The one place that chooses a driver: unset → PGlite, a Neon host → Neon's WebSocket Pool, else node-postgres. */
export function chooseDriver(databaseUrl: string | undefined): DriverName {
  if (!databaseUrl) return "pglite";
  const host = new URL(databaseUrl).hostname;
  return /(^|\.)neon\.(tech|build)$/.test(host) ? "neon" : "node-postgres";
}

export function createDatabase(databaseUrl = process.env.DATABASE_URL, pgliteDir = process.env.PGLITE_DATA_DIR): DatabaseHandle {
  const driver = chooseDriver(databaseUrl);
  if (driver === "pglite") {
    const dir = pgliteDir ?? path.join(dataDir(), "pglite");
    // PGlite creates only the last folder; a fresh clone has no .data/ yet.
    if (!dir.includes("://")) mkdirSync(/*turbopackIgnore: true*/ path.dirname(dir), { recursive: true, mode: 0o700 });
    const client = new PGlite(dir);
    const db = drizzlePglite({ client, schema }) as unknown as Database;
    return { db, driver, withSingleConnection: (fn) => fn(db), close: () => client.close() };
  }
  const pool =
    driver === "neon"
      ? (neonConfig.webSocketConstructor = ws, new NeonPool({ connectionString: databaseUrl }))
      : new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  const db = (driver === "neon" ? drizzleNeon({ client: pool as NeonPool, schema }) : drizzleNodePg({ client: pool as pg.Pool, schema })) as unknown as Database;
  return {
    db,
    driver,
    async withSingleConnection(fn) {
      const connection = await pool.connect();
      try {
        const single = (driver === "neon"
          ? drizzleNeon({ client: connection as never, schema })
          : drizzleNodePg({ client: connection as pg.PoolClient, schema })) as unknown as Database;
        return await fn(single);
      } finally {
        connection.release();
      }
    },
    close: () => pool.end(),
  };
}

// One handle per process, kept on globalThis so Next's dev reloads do not open PGlite twice.
const globalForDb = globalThis as unknown as { stepauthDatabase?: DatabaseHandle };

export function getDatabaseHandle(): DatabaseHandle {
  globalForDb.stepauthDatabase ??= createDatabase();
  return globalForDb.stepauthDatabase;
}

/** The process-wide database. Everything above this file is driver-agnostic. */
export function getDb(): Database {
  return getDatabaseHandle().db;
}

export async function closeDb(): Promise<void> {
  const handle = globalForDb.stepauthDatabase;
  globalForDb.stepauthDatabase = undefined;
  await handle?.close();
}
