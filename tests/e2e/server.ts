import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    demo: { email: string; password: string; apiKey: string };
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** `npm run build` writes it (next.config.ts: `output: "standalone"`), with static assets beside it. */
export const standaloneServer = path.resolve(".next/standalone/server.js");

/** Seeds a throw-away embedded database, starts the built app on loopback, and stops it afterwards. */
export default async function setup(project: TestProject) {
  if (!existsSync(standaloneServer)) throw new Error("Run `npm run build` before the browser tests.");
  const dataDir = mkdtempSync(path.join(tmpdir(), "stepauth-e2e-"));
  const port = await freePort();
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    DATABASE_URL: "",
    AUTH_SECRET: "e2e-auth-secret-0123456789abcdef0123456789",
    APP_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
    ALLOW_PRIVATE_NETWORK_URLS: "true",
    SIGNUP_MODE: "open",
    AUDIT_SEAL_INTERVAL_SECONDS: "2",
  };
  const seeded = spawnSync("npx", ["tsx", "db/start.ts"], { env, encoding: "utf8" });
  if (seeded.status !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
  const demo = JSON.parse(readFileSync(path.join(dataDir, "demo.json"), "utf8"));

  // The deployable artifact itself: Next's standalone server, as `npm start` and the Dockerfile run it.
  const server: ChildProcess = spawn(process.execPath, [standaloneServer], {
    env: { ...env, HOSTNAME: "127.0.0.1" },
    stdio: "pipe",
    detached: true,
  });
  let output = "";
  server.stdout?.on("data", (chunk) => (output += chunk));
  server.stderr?.on("data", (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/login`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the app did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  project.provide("baseUrl", baseUrl);
  project.provide("demo", demo);
  return () => {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
  };
}
