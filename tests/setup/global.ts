import { createDatabase } from "../../db/client";
import { runMigrations } from "../../db/migrate";
import { startNeonWsProxy } from "./neon-ws-proxy";
import { createScratchDatabase } from "./scratch-database";

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
  const scratch = await createScratchDatabaseOrNot(serverUrl);
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
async function createScratchDatabaseOrNot(
  serverUrl: string,
): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  try {
    return await createScratchDatabase(serverUrl, `stepauth_test_${Date.now()}_${process.pid}`);
  } catch (error) {
    console.warn(
      `TEST_DATABASE_URL: could not create a throw-away database (${(error as Error).message}); using the named database`,
    );
    return undefined;
  }
}
