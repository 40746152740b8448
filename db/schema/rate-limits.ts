import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Counters kept in the database, so limits hold across restarts and app instances: fixed windows, or
 * failure streaks (sign-in) where `window_started_at` is the time of the last failure.
 * Not tenant-owned: keys are e.g. "login:account:<email>" and "login:address:<ip>" (lib/auth/login-throttle.ts).
 */
export const rateLimitBuckets = pgTable("rate_limit_buckets", {
  key: text("key").primaryKey(),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
  hits: integer("hits").notNull(),
});
