import { config } from "@/lib/config/env";
/**
 * Token buckets per key (an API key, a sandbox SP), in this instance's memory: cheap enough for every
 * request on the hot path. With N instances a key gets up to N× the rate; login limits, which must be exact, live in
 * the database instead (db/queries/rate-limits.ts).
 */
const buckets = new Map<string, { tokens: number; updatedAt: number }>();

export function apiKeyRateLimit(): { perSecond: number; burst: number } {
  const perSecond = config().API_RATE_LIMIT_PER_SECOND;
  return { perSecond, burst: Math.max(1, config().API_RATE_LIMIT_BURST ?? perSecond * 2) };
}

/** Takes one token; returns 0 when allowed, else the seconds to wait for the next token. */
export function takeToken(key: string, perSecond: number, burst: number, now = Date.now()): number {
  const bucket = buckets.get(key) ?? { tokens: burst, updatedAt: now };
  // A clock stepped back (NTP) refills nothing, and drains nothing either.
  bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.updatedAt) / 1000) * perSecond);
  bucket.updatedAt = now;
  buckets.set(key, bucket);
  if (buckets.size > 100_000) buckets.clear();
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
}
