import { and, gt, inArray, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { rateLimitBuckets } from "@/db/schema";

/**
 * Counts one hit against `key` in a fixed window and says whether it is still within `limit`.
 * One upsert, so concurrent hits on several instances are counted exactly.
 */
export async function hitRateLimit(
  db: Database,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const window = sql`make_interval(secs => ${windowSeconds})`;
  const [row] = await db
    .insert(rateLimitBuckets)
    .values({ key, windowStartedAt: sql`now()`, hits: 1 })
    .onConflictDoUpdate({
      target: rateLimitBuckets.key,
      set: {
        hits: sql`case when ${rateLimitBuckets.windowStartedAt} + ${window} <= now() then 1 else ${rateLimitBuckets.hits} + 1 end`,
        windowStartedAt: sql`case when ${rateLimitBuckets.windowStartedAt} + ${window} <= now() then now() else ${rateLimitBuckets.windowStartedAt} end`,
      },
    })
    .returning({
      hits: rateLimitBuckets.hits,
      retryAfter: sql<number>`ceil(extract(epoch from (${rateLimitBuckets.windowStartedAt} + ${window} - now())))::int`,
    });
  const hits = row?.hits ?? 1;
  return { allowed: hits <= limit, retryAfterSeconds: Math.max(1, Number(row?.retryAfter ?? windowSeconds)) };
}

/** A run of failures under one key: how many, and how long ago the last one was. */
export interface FailureStreak {
  failures: number;
  secondsSinceLast: number;
}

/** The current failure streaks of `keys`; a streak whose last failure is older than `forgetAfterSeconds` is over. */
export async function readFailureStreaks(
  db: Database,
  keys: string[],
  forgetAfterSeconds: number,
): Promise<Map<string, FailureStreak>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .select({
      key: rateLimitBuckets.key,
      failures: rateLimitBuckets.hits,
      secondsSinceLast: sql<number>`extract(epoch from (now() - ${rateLimitBuckets.windowStartedAt}))::float8`,
    })
    .from(rateLimitBuckets)
    .where(
      and(
        inArray(rateLimitBuckets.key, keys),
        gt(rateLimitBuckets.windowStartedAt, sql`now() - make_interval(secs => ${forgetAfterSeconds})`),
      ),
    );
  return new Map(
    rows.map((row) => [
      row.key,
      { failures: row.failures, secondsSinceLast: Math.max(0, Number(row.secondsSinceLast)) },
    ]),
  );
}

/**
 * Counts one more failure under each key, in one statement (exact across instances). Here
 * `window_started_at` is the time of the last failure; a streak older than `forgetAfterSeconds` restarts at 1.
 */
export async function recordFailures(db: Database, keys: string[], forgetAfterSeconds: number): Promise<void> {
  if (keys.length === 0) return;
  const stale = sql`${rateLimitBuckets.windowStartedAt} + make_interval(secs => ${forgetAfterSeconds}) <= now()`;
  await db
    .insert(rateLimitBuckets)
    .values(keys.map((key) => ({ key, windowStartedAt: sql`now()`, hits: 1 })))
    .onConflictDoUpdate({
      target: rateLimitBuckets.key,
      set: { hits: sql`case when ${stale} then 1 else ${rateLimitBuckets.hits} + 1 end`, windowStartedAt: sql`now()` },
    });
}

/** Ends the streaks under `keys`, e.g. after a successful sign-in. */
export async function resetRateLimits(db: Database, keys: string[]): Promise<void> {
  if (keys.length > 0) await db.delete(rateLimitBuckets).where(inArray(rateLimitBuckets.key, keys));
}
