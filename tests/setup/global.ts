import { createDatabase } from "../../db/client";
import { runMigrations } from "../../db/migrate";
import { startNeonWsProxy } from "./neon-ws-proxy";

/**
 * With a real server, migrate it once before the files run; PGlite test databases migrate per file.
 * `TEST_DATABASE_DRIVER=neon` runs the suites through Neon's serverless driver: a WebSocket proxy on
 * loopback relays to the TEST_DATABASE_URL server, and every test process (forked after this runs,
 * so it inherits the environment) connects through it.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (!process.env.TEST_DATABASE_URL) return undefined;
  let teardown: (() => Promise<void>) | undefined;
  if (process.env.TEST_DATABASE_DRIVER === "neon") {
    const proxy = await startNeonWsProxy();
    process.env.DATABASE_DRIVER = "neon";
    process.env.NEON_WS_PROXY = proxy.proxy;
    teardown = proxy.close;
  }
  const handle = createDatabase(process.env.TEST_DATABASE_URL);
  try {
    await runMigrations(handle);
  } finally {
    await handle.close();
  }
  return teardown;
}
