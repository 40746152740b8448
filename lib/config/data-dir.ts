import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { config } from "./env";

/** Folder for local state in development: the embedded database and generated dev secrets. */
export function dataDir(): string {
  return path.resolve(config().DATA_DIR);
}

/**
 * Reads a secret from the environment; in development, generates one once and keeps it under
 * `.data/` so restarts keep sessions and decryptable secrets. Production refuses to start without it.
 */
export function secretFromEnvOrDataDir(
  envName: "AUTH_SECRET" | "APP_ENCRYPTION_KEY",
  fileName: string,
  bytes = 32,
): string {
  const fromEnv = config()[envName];
  if (fromEnv) return fromEnv;
  if (config().NODE_ENV === "production") {
    throw new Error(`${envName} must be set in production (see README: Configuration).`);
  }
  const dir = dataDir();
  const file = path.join(dir, fileName);
  if (existsSync(/*turbopackIgnore: true*/ file)) return readFileSync(/*turbopackIgnore: true*/ file, "utf8").trim();
  mkdirSync(/*turbopackIgnore: true*/ dir, { recursive: true, mode: 0o700 });
  const value = randomBytes(bytes).toString("base64");
  // "wx" so two processes starting at once cannot overwrite each other's secret.
  try {
    writeFileSync(/*turbopackIgnore: true*/ file, value + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readFileSync(/*turbopackIgnore: true*/ file, "utf8").trim();
  }
  return value;
}
