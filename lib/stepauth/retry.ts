/**
 * The retry policy of PROTOCOL.md / guide §12, as data plus pure functions: which statuses are
 * retried, exponential backoff with full jitter, and `Retry-After` in seconds or as an HTTP date.
 */

/** Tenant-configurable retry parameters. */
export interface RetryPolicy {
  /** Attempts per authorizer call, including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  factor: number;
  /** Cap for one backoff delay. */
  maxDelayMs: number;
  /** Each attempt is aborted after this long. */
  attemptTimeoutMs: number;
  /**
   * A 429's wait (its `Retry-After`, else the backoff) longer than this ends the call with
   * `rate_limited` instead of stalling the caller; 0 leaves every such wait to the caller (who can
   * reschedule durably).
   */
  maxRetryAfterMs: number;
}

/**
 * Defaults pinned by PROTOCOL.md: 5 attempts, 250 ms base, factor 2, full jitter, 5 s per attempt.
 *
 * @example
 * ```ts
 * const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 };
 * ```
 */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 250,
  factor: 2,
  maxDelayMs: 10_000,
  attemptTimeoutMs: 5_000,
  maxRetryAfterMs: 60_000,
});

/** What to do after an HTTP status. */
export type StatusHandling = "answer" | "retry_after" | "backoff" | "no_retry";

/**
 * Status handling as data: 400/401/404 never retried, 429 waits for `Retry-After`, 5xx backs off,
 * 408 and 425 back off like a timeout. Statuses not listed: 2xx and 409 are answers, other 4xx and
 * 3xx (redirects are never followed) are refusals, not retried.
 *
 * @example
 * ```ts
 * handlingForStatus(503); // "backoff"
 * ```
 */
export const STATUS_HANDLING: Readonly<Record<number, StatusHandling>> = Object.freeze({
  400: "no_retry",
  401: "no_retry",
  404: "no_retry",
  408: "backoff",
  409: "answer",
  425: "backoff",
  429: "retry_after",
});

/**
 * How a response with `status` is handled.
 *
 * @example
 * ```ts
 * handlingForStatus(401); // "no_retry"
 * handlingForStatus(202); // "answer"
 * ```
 */
export function handlingForStatus(status: number): StatusHandling {
  const listed = STATUS_HANDLING[status];
  if (listed) return listed;
  if (status >= 500) return "backoff";
  if (status >= 200 && status < 300) return "answer";
  return "no_retry";
}

/**
 * Full-jitter exponential backoff: a uniform delay in `[0, min(maxDelay, base·factor^(n−1)))`
 * before retry number `n` (1 for the first retry). `random` returns a value in `[0, 1)`.
 *
 * @example
 * ```ts
 * backoffDelayMs(DEFAULT_RETRY_POLICY, 3, () => 0.5); // 500 (half of 250·2²)
 * ```
 */
export function backoffDelayMs(policy: RetryPolicy, retryNumber: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, retryNumber - 1));
  return Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
}

/**
 * Parses `Retry-After` (delta-seconds or an HTTP date) into milliseconds from `nowMs`;
 * `undefined` when absent or unparseable. Dates in the past give 0.
 *
 * @example
 * ```ts
 * parseRetryAfter("2", Date.now()); // 2000
 * parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:58 GMT")); // 2000
 * ```
 */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d{1,10}$/.test(value)) return Number(value) * 1000;
  // IMF-fixdate and the obsolete formats all start with a day name and contain "GMT".
  if (!/^[A-Za-z]{3,9},? .*GMT$/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
