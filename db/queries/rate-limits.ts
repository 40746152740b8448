import { sql } from "drizzle-orm";
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

/** Clears a counter, e.g. after a successful sign-in. */
export async function resetRateLimit(db: Database, key: string): Promise<void> {
  await db.delete(rateLimitBuckets).where(sql`${rateLimitBuckets.key} = ${key}`);
}
