import { z } from "zod";

// Every environment variable the app reads, in one schema: its name, default, bounds and meaning.
// Read it through config(); nothing else in lib/, app/, db/ or proxy.ts touches process.env.
// (NEXT_RUNTIME stays a direct read in instrumentation.ts: Next replaces it at build time.)

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const positive = () => z.coerce.number().positive();
/** Exactly `true` or `false`, as the docs say: a typo (or `1`, `TRUE`, `yes`) must not silently mean either. */
const flag = () =>
  z.enum(["true", "false"], { error: 'must be exactly "true" or "false"' }).transform((value) => value === "true");
const absoluteUrl = () => z.string().refine((value) => URL.canParse(value), "must be an absolute URL");

export const envSchema = z.object({
  // Any value, as Next allows (e.g. `staging`): only `production` and `development` change what the app does.
  NODE_ENV: z
    .string()
    .optional()
    .describe(
      "Set by Next (`development` under `npm run dev`, `production` under `npm start`): production requires the secrets and refuses private-network URLs unless allowed",
    ),
  PORT: int(1, 65_535)
    .default(3000)
    .describe("Port of `npm run dev` / `npm start` / the container; also the default origin's port"),

  DATABASE_URL: absoluteUrl()
    .optional()
    .describe(
      "`postgres://…` → node-postgres; a `*.neon.tech` host → Neon's serverless driver; unset → embedded PGlite",
    ),
  DATABASE_DRIVER: z
    .enum(["neon", "node-postgres"])
    .optional()
    .describe("Forces a driver for any host: `neon` (with NEON_WS_PROXY) or `node-postgres`; unset: chosen by host"),
  NEON_WS_PROXY: z
    .string()
    .optional()
    .describe("`host:port/path` of a loopback WebSocket-to-TCP proxy for Neon's driver (development and tests)"),
  DATABASE_POOL_SIZE: int(1, 1000).default(10).describe("node-postgres pool size"),
  DATABASE_PREPARED_STATEMENTS: flag()
    .default(true)
    .describe("`false` runs the hot statements unnamed, for poolers that cannot keep prepared statements"),
  PGLITE_DATA_DIR: z
    .string()
    .optional()
    .describe("Where PGlite keeps its files (`memory://` for a throw-away database); unset: `$DATA_DIR/pglite`"),
  DATA_DIR: z
    .string()
    .default(".data")
    .describe("Local state for development: embedded database, generated dev secrets, `demo.json`"),
  MIGRATIONS_DIR: z
    .string()
    .default("drizzle")
    .describe("Folder of the SQL migrations, resolved from the working directory"),
  MIGRATE_ON_START: flag()
    .default(false)
    .describe("`true`: the server applies pending migrations itself before it serves (the container sets it)"),
  SEED_DEMO: flag().default(true).describe("`false` skips seeding the demo tenant in `db/start.ts`"),

  AUTH_SECRET: z
    .string()
    .optional()
    .describe("Encrypts console session cookies; generated into `.data/` in development, required in production"),
  APP_ENCRYPTION_KEY: z
    .string()
    .optional()
    .describe(
      "AES-256-GCM key (or rotation list `2:<b64>,1:<b64>`) for secrets at rest; generated in development, required in production",
    ),
  AUTH_URL: absoluteUrl()
    .optional()
    .describe("Public URL of the console (Auth.js); the canonical origin for same-origin checks and invitation links"),
  AUTH_OIDC_ISSUER: absoluteUrl()
    .optional()
    .describe("OIDC issuer; with the client id and secret, enables single sign-on"),
  AUTH_OIDC_CLIENT_ID: z.string().optional().describe("OIDC client id (see AUTH_OIDC_ISSUER)"),
  AUTH_OIDC_CLIENT_SECRET: z.string().optional().describe("OIDC client secret (see AUTH_OIDC_ISSUER)"),
  SIGNUP_MODE: z
    .string()
    .toLowerCase()
    .pipe(z.enum(["open", "invite"]))
    .optional()
    .describe("`open`: anyone may sign up; `invite`: invitations only. Unset: `invite` in production, else `open`"),

  GATEWAY_PUBLIC_URL: absoluteUrl()
    .optional()
    .describe(
      "The gateway's public origin for callback and sandbox URLs; unset: AUTH_URL, else http://localhost:$PORT",
    ),
  ALLOW_PRIVATE_NETWORK_URLS: flag()
    .optional()
    .describe(
      "`true` allows http and private/loopback addresses outbound; `false` forbids them. Unset: only in development",
    ),
  TRUSTED_PROXY_HOPS: int(0, 16)
    .default(0)
    .describe("How many reverse proxies of ours append to X-Forwarded-For; 0 ignores forwarded headers"),
  GATEWAY_WORKER: flag()
    .default(true)
    .describe("`false` disables the in-process background worker (use /api/cron/tick instead)"),
  CRON_SECRET: z.string().optional().describe("Enables /api/cron/tick with `Authorization: Bearer $CRON_SECRET`"),
  GATEWAY_JOB_LEASE_SECONDS: int(1, 3600)
    .default(120)
    .describe("How long a claimed background job belongs to its claimer before another instance may take it over"),
  // Capped rather than refused, as the README documents: a longer setting may only mean "as long as allowed".
  GATEWAY_WEBHOOK_TIMEOUT_MS: int(1)
    .default(10_000)
    .transform((ms) => Math.min(ms, 10_000))
    .describe(
      "How long one service-webhook call may take; shorter only: above 10 s (a delivery's lease is sized for it) counts as 10 s",
    ),
  AUDIT_SEAL_INTERVAL_SECONDS: positive()
    .default(60)
    .describe("How often the worker queues audit seal and retention purge jobs"),
  AUDIT_SEAL_BATCH: int(1, 1_000_000).default(5000).describe("Most audit entries per checkpoint"),
  GATEWAY_CONFIG_CACHE_MS: int(0)
    .default(1000)
    .describe("How long an instance reuses a tenant's configuration (and a callback's authorizer)"),
  API_KEY_CACHE_MS: int(0).default(1000).describe("How long an instance reuses a found API key; 0 reads it every call"),
  API_RATE_LIMIT_PER_SECOND: positive().default(200).describe("Per-API-key token bucket rate, per instance"),
  API_RATE_LIMIT_BURST: positive()
    .optional()
    .describe("Per-API-key token bucket size, per instance; unset: twice the rate"),
  LONG_POLL_MAX_PER_API_KEY: int(0).default(20).describe("Concurrent long-polls per API key, per instance"),
  LONG_POLL_MAX_PER_TENANT: int(0).default(50).describe("Concurrent long-polls per tenant, per instance"),
  TENANT_FAIR_SHARE_SLOTS: int(1)
    .default(32)
    .describe("Slots shared among active tenants (each gets this divided by their number, at least 2)"),
  TENANT_MAX_IN_FLIGHT: int(1).default(64).describe("Most /api/v1 requests one tenant runs at once, per instance"),
  TENANT_MAX_QUEUED: int(1).default(256).describe("Requests of one tenant waiting for a slot before 429"),
  TENANT_CEL_MS_PER_SECOND: positive()
    .default(20)
    .describe("Milliseconds of costly CEL one tenant may spend per second, per instance"),
  BENCH_FLOOR_ROUTE: flag()
    .default(false)
    .describe("`true` enables the benchmark's floor routes (set by `npm run bench` only)"),

  GATEWAY_URL: absoluteUrl().optional().describe("`npm run demo`: where the gateway is; unset: http://localhost:$PORT"),
  STEPAUTH_API_KEY: z.string().optional().describe("`npm run demo`: the API key to use; unset: `.data/demo.json`'s"),
});

export type AppConfig = Readonly<z.output<typeof envSchema>>;

/** A configuration the app must not start with; the message names every offending variable (never its value). */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Validates `env` against {@link envSchema}. Empty and blank values count as unset, as a shell's
 * `FOO=` means. Throws a {@link ConfigError} naming each invalid variable.
 *
 * @example parseConfig({ PORT: "8080" }).PORT // 8080
 */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const present = Object.fromEntries(
    Object.keys(envSchema.shape).map((name) => [name, env[name]?.trim() || undefined]),
  );
  const result = envSchema.safeParse(present);
  if (result.success) return Object.freeze(result.data);
  const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new ConfigError(`Invalid environment variables (see lib/config/env.ts):\n${problems.join("\n")}`);
}

let current: AppConfig | undefined;

/**
 * The app's configuration, read from the environment on first use and kept: later changes to
 * process.env are not seen (tests call {@link resetConfigForTests}). Throws a {@link ConfigError}
 * on an invalid value; instrumentation.ts calls it first, so the server refuses to start.
 *
 * @example config().GATEWAY_JOB_LEASE_SECONDS // 120
 */
export function config(): AppConfig {
  return (current ??= parseConfig(process.env));
}

/**
 * Forgets the parsed configuration, so the next config() reads process.env again. For tests only:
 * tests/setup/env.ts calls it whenever a test changes process.env.
 */
export function resetConfigForTests(): void {
  current = undefined;
}
