import pg from "pg";
import { createDatabase } from "../../db/client";
import { runMigrations } from "../../db/migrate";
import { startNeonWsProxy } from "./neon-ws-proxy";

/**
 * With a real server, run the suite in a throw-away database of its own: created on the
 * TEST_DATABASE_URL server, migrated once before the files run, dropped afterwards. Two runs against
 * one server (two checkouts, two branches with different migrations) never share tables. PGlite test
 * databases migrate per file. Test processes are forked after this runs, so they inherit the
 * rewritten TEST_DATABASE_URL (and DATABASE_DRIVER / NEON_WS_PROXY below).
 *
 * `TEST_DATABASE_DRIVER=neon` runs the suites through Neon's serverless driver: a WebSocket proxy on
 * loopback relays to the same server, and every test process connects through it.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return undefined;
  const teardowns: Array<() => Promise<void>> = [];
  const scratch = await createScratchDatabase(serverUrl);
  if (scratch) {
    process.env.TEST_DATABASE_URL = scratch.url;
    teardowns.push(scratch.drop);
  }
  if (process.env.TEST_DATABASE_DRIVER === "neon") {
    const proxy = await startNeonWsProxy();
    process.env.DATABASE_DRIVER = "neon";
    process.env.NEON_WS_PROXY = proxy.proxy;
    teardowns.unshift(proxy.close);
  }
  const handle = createDatabase(process.env.TEST_DATABASE_URL);
  try {
    await runMigrations(handle);
  } finally {
    await handle.close();
  }
  return async () => {
    for (const teardown of teardowns) await teardown();
  };
}

/**
 * Creates `stepauth_test_<time>_<pid>` beside the named database. A server where the role may not
 * create databases (a hosted one) keeps the old behaviour: the named database is migrated and used.
 */
async function createScratchDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const name = `stepauth_test_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch (error) {
    console.warn(`TEST_DATABASE_URL: could not create a throw-away database (${(error as Error).message}); using the named database`);
    await admin.end().catch(() => undefined);
    return undefined;
  }
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
