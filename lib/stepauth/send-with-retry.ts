/**
 * The attempt loop behind every authorizer call: per-attempt timeout, status handling, backoff
 * with full jitter, `Retry-After`, and a report of every attempt to the caller's observer.
 */
import { describeTransportCause } from "./transport-cause";
import { StepAuthError } from "./errors";
import { backoffDelayMs, handlingForStatus, parseRetryAfter, type RetryPolicy } from "./retry";
import { TransportRefusedError, type HttpResponse, type HttpTransport } from "./transport";

/** Which protocol call an attempt belongs to. */
export type AuthorizerCall = "submit" | "poll" | "cancel" | "result";

/** One attempt, as reported to the observer (for the gateway's audit log). */
export interface AttemptReport {
  call: AuthorizerCall;
  requestId: string;
  /** 1-based. */
  attempt: number;
  /** `response` with an HTTP status, or the kind of failure (`refused`: by the transport, not retried). */
  outcome: "response" | "timeout" | "network_error" | "refused";
  status?: number;
  /** The authorizer's `error` code, when the body carried one. */
  errorCode?: string;
  /** Why a `network_error` happened, in words (connection refused, TLS…), when the transport said. */
  cause?: string;
  latencyMs: number;
  willRetry: boolean;
  /** Delay before the next attempt, when there is one. */
  delayMs?: number;
}

/** Receives every attempt. Exceptions it throws are ignored. */
export type AttemptObserver = (report: AttemptReport) => void;

/** Everything the loop needs, all injectable. */
export interface AttemptContext {
  transport: HttpTransport;
  policy: RetryPolicy;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  observer?: AttemptObserver;
}

/** A response the caller will interpret, with the attempt that produced it. */
export interface FinalResponse extends HttpResponse {
  attempt: number;
}

function errorCodeOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const code = (parsed as { error?: unknown } | null)?.error;
    return typeof code === "string" ? code.slice(0, 100) : undefined;
  } catch {
    return undefined;
  }
}

type FailedAttempt = { failure: "timeout" | "network_error"; cause?: string };

async function attemptOnce(
  ctx: AttemptContext,
  url: string,
  body: string,
): Promise<HttpResponse | TransportRefusedError | FailedAttempt> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ctx.policy.attemptTimeoutMs);
  try {
    return await ctx.transport({
      url,
      body,
      headers: { "content-type": "application/json", accept: "application/json" },
      signal: controller.signal,
    });
  } catch (error) {
    if (error instanceof TransportRefusedError) return error;
    if (controller.signal.aborted) return { failure: "timeout" };
    const cause = describeTransportCause(error);
    return cause ? { failure: "network_error", cause } : { failure: "network_error" };
  } finally {
    clearTimeout(timer);
  }
}

function report(ctx: AttemptContext, entry: AttemptReport): void {
  try {
    ctx.observer?.(entry);
  } catch {
    // An audit hook must not change the protocol outcome.
  }
}

/**
 * POSTs `body` to `url` until an answer (2xx, 409, non-retried 4xx) or the attempts run out.
 * Answers are returned for the caller to interpret; exhaustion throws `authorizer_unavailable`,
 * or `rate_limited` when the last answer was 429 (its `details.retryAfterMs`: the wait the
 * authorizer asked for, when it named one; a wait over `maxRetryAfterMs` ends the call at once).
 * A call the transport refuses throws that refusal's code (`response_too_large`,
 * `destination_refused`) at once: it is not retried.
 *
 * @example
 * ```ts
 * const response = await sendWithRetry(ctx, "submit", request.requestId, `${endpoint}/v1/authorization-requests`, body);
 * ```
 */
export async function sendWithRetry(
  ctx: AttemptContext,
  call: AuthorizerCall,
  requestId: string,
  url: string,
  body: string,
): Promise<FinalResponse> {
  let lastStatus: number | undefined;
  let lastOutcome: AttemptReport["outcome"] = "network_error";
  let lastCause: string | undefined;
  let retryAfterMs: number | undefined;
  let attempts = 0;
  for (let attempt = 1; ; attempt++) {
    attempts = attempt;
    const started = ctx.clock();
    const result = await attemptOnce(ctx, url, body);
    const latencyMs = Math.max(0, ctx.clock() - started);
    const base = { call, requestId, attempt, latencyMs };
    let delayMs: number | undefined;
    if (result instanceof TransportRefusedError) {
      report(ctx, { ...base, outcome: "refused", willRetry: false });
      throw new StepAuthError(result.code, `authorizer ${call} refused by the transport: ${result.message}`, {
        details: { call, requestId, attempts: attempt },
        cause: result,
      });
    }
    if ("failure" in result) {
      lastOutcome = result.failure;
      lastCause = result.cause;
      delayMs = backoffDelayMs(ctx.policy, attempt, ctx.random);
    } else {
      lastOutcome = "response";
      lastCause = undefined;
      lastStatus = result.status;
      const handling = handlingForStatus(result.status);
      const errorCode = result.status >= 400 ? errorCodeOf(result.body) : undefined;
      const withStatus = {
        ...base,
        outcome: "response" as const,
        status: result.status,
        ...(errorCode ? { errorCode } : {}),
      };
      if (handling === "answer" || handling === "no_retry") {
        report(ctx, { ...withStatus, willRetry: false });
        return { ...result, attempt };
      }
      retryAfterMs =
        handling === "retry_after" ? parseRetryAfter(result.headers["retry-after"], ctx.clock()) : undefined;
      delayMs = retryAfterMs ?? backoffDelayMs(ctx.policy, attempt, ctx.random);
      // A 429's wait is the authorizer's to name: longer than the caller will stall, and the call ends.
      if (handling === "retry_after" && delayMs > ctx.policy.maxRetryAfterMs) delayMs = undefined;
      if (attempt >= ctx.policy.maxAttempts || delayMs === undefined) {
        report(ctx, { ...withStatus, willRetry: false });
        break;
      }
      report(ctx, { ...withStatus, willRetry: true, delayMs });
      await ctx.sleep(delayMs);
      continue;
    }
    const failed = { ...base, outcome: result.failure, ...(result.cause ? { cause: result.cause } : {}) };
    if (attempt >= ctx.policy.maxAttempts) {
      report(ctx, { ...failed, willRetry: false });
      break;
    }
    report(ctx, { ...failed, willRetry: true, delayMs });
    await ctx.sleep(delayMs);
  }
  const rateLimited = lastStatus === 429 && lastOutcome === "response";
  const why =
    lastOutcome === "response" ? `HTTP ${lastStatus}` : lastCause ? `${lastOutcome}: ${lastCause}` : lastOutcome;
  throw new StepAuthError(
    rateLimited ? "rate_limited" : "authorizer_unavailable",
    `authorizer ${call} failed after retries (${why})`,
    {
      details: {
        call,
        requestId,
        attempts,
        lastOutcome,
        ...(lastCause === undefined ? {} : { lastCause }),
        ...(lastStatus === undefined ? {} : { lastStatus }),
        ...(rateLimited && retryAfterMs !== undefined ? { retryAfterMs } : {}),
      },
    },
  );
}
