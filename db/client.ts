import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
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
import { config } from "@/lib/config/env";

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

/**
 * The one place that chooses a driver: unset → PGlite, a Neon host → Neon's WebSocket Pool, else
 * node-postgres. `DATABASE_DRIVER=neon` forces Neon's driver for any host reached through a
 * WebSocket proxy (`NEON_WS_PROXY`), as the tests do against the local PostgreSQL.
 */
export function chooseDriver(
  databaseUrl: string | undefined,
  forced: string | undefined = config().DATABASE_DRIVER,
): DriverName {
  if (!databaseUrl) return "pglite";
  if (forced === "neon" || forced === "node-postgres") return forced;
  const host = new URL(databaseUrl).hostname;
  return /(^|\.)neon\.(tech|build)$/.test(host) ? "neon" : "node-postgres";
}

/**
 * Points Neon's driver at a self-run WebSocket-to-TCP proxy (`host:port/path`, no scheme) instead of
 * Neon's own endpoints. The proxy is spoken to over plain `ws:` with no TLS, so only a loopback
 * proxy is accepted: this is for local development and tests, never for a database across a network.
 */
export function routeNeonThroughLocalProxy(proxy: string): void {
  const host = new URL(`ws://${proxy}`).hostname;
  if (!["127.0.0.1", "localhost", "[::1]"].includes(host)) {
    throw new Error(`NEON_WS_PROXY must be a loopback proxy (it is spoken to without TLS); got ${host}`);
  }
  neonConfig.wsProxy = proxy;
  neonConfig.useSecureWebSocket = false;
  neonConfig.forceDisablePgSSL = true;
  // Pipelining the start-up assumes cleartext password authentication, which a local server may not use.
  neonConfig.pipelineConnect = false;
}

export function createDatabase(
  databaseUrl = config().DATABASE_URL,
  pgliteDir = config().PGLITE_DATA_DIR,
  driver = chooseDriver(databaseUrl),
): DatabaseHandle {
  if (driver === "pglite") {
    const dir = pgliteDir ?? path.join(dataDir(), "pglite");
    // PGlite creates only the last folder; a fresh clone has no .data/ yet.
    if (!dir.includes("://")) mkdirSync(/*turbopackIgnore: true*/ path.dirname(dir), { recursive: true, mode: 0o700 });
    // The console's filter and search index needs btree_gin and pg_trgm; PGlite ships them as extensions.
    const client = new PGlite(dir, { extensions: { btree_gin, pg_trgm } });
    const db = drizzlePglite({ client, schema }) as unknown as Database;
    return { db, driver, withSingleConnection: (fn) => fn(db), close: () => client.close() };
  }
  const pool =
    driver === "neon"
      ? ((neonConfig.webSocketConstructor = ws),
        config().NEON_WS_PROXY && routeNeonThroughLocalProxy(config().NEON_WS_PROXY!),
        new NeonPool({ connectionString: databaseUrl }))
      : new pg.Pool({ connectionString: databaseUrl, max: config().DATABASE_POOL_SIZE });
  // The server may end an idle connection (a restart, a failover, an administrator, an idle timeout):
  // the pool drops it and emits `error`, which with no listener would end this whole process. The
  // next query opens a new connection; a query in flight fails on its own and is answered as such.
  pool.on("error", (error: Error) =>
    console.warn(`database: an idle connection ended (the pool opens a new one): ${error.message}`),
  );
  const db = (driver === "neon"
    ? drizzleNeon({ client: pool as NeonPool, schema })
    : drizzleNodePg({ client: pool as pg.Pool, schema })) as unknown as Database;
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
