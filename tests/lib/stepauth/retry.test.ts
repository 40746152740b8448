import { describe, expect, it } from "vitest";
import { backoffDelayMs, DEFAULT_RETRY_POLICY, handlingForStatus, parseRetryAfter } from "../../../lib/stepauth/retry";

describe("retry policy", () => {
  it("has the pinned defaults", () => {
    expect(DEFAULT_RETRY_POLICY).toMatchObject({ maxAttempts: 5, baseDelayMs: 250, factor: 2, attemptTimeoutMs: 5000 });
  });

  it("never retries 400/401/404, waits on 429, backs off on 5xx", () => {
    expect([400, 401, 404, 403].map(handlingForStatus)).toEqual(["no_retry", "no_retry", "no_retry", "no_retry"]);
    expect(handlingForStatus(429)).toBe("retry_after");
    expect([500, 502, 503, 504].map(handlingForStatus)).toEqual(["backoff", "backoff", "backoff", "backoff"]);
    expect([200, 202, 409].map(handlingForStatus)).toEqual(["answer", "answer", "answer"]);
  });

  it("uses full jitter under an exponential ceiling", () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(DEFAULT_RETRY_POLICY, n, top))).toEqual([249, 499, 999, 1999]);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 3, () => 0)).toBe(0);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 3, () => 0.5)).toBe(500);
    expect(backoffDelayMs({ ...DEFAULT_RETRY_POLICY, maxDelayMs: 300 }, 10, top)).toBe(299);
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("Wed, 21 Oct 2015 07:27:58 GMT");
    expect(parseRetryAfter("2", now)).toBe(2000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now)).toBe(2000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now)).toBe(0);
    for (const bad of [undefined, "", "-1", "1.5", "soon", "2015-10-21"])
      expect(parseRetryAfter(bad, now)).toBeUndefined();
  });
});
