import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Unit and integration tests: real PGlite (or real Postgres with TEST_DATABASE_URL), real loopback HTTP.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: ["tests/e2e/**", "node_modules/**"],
    setupFiles: ["tests/setup/env.ts"],
    globalSetup: ["tests/setup/global.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most of a file's time is spent waiting (HTTP round trips, leases and timeouts running out), so two files
    // at once on two cores halves the wall time. On PGlite every file has its own in-memory database; on a
    // server (TEST_DATABASE_URL) all files share one scratch database, where one file's drain of due jobs could
    // run another's: one file at a time there.
    maxWorkers: process.env.TEST_DATABASE_URL ? 1 : Math.max(2, availableParallelism() - 1),
    // next-auth imports "next/server" without an extension, which Node's ESM loader refuses; let Vite resolve it.
    server: { deps: { inline: ["next-auth"] } },
  },
});
