/**
 * The client's one HTTP path: JSON in and out, the API key as a Bearer token, the API's error body
 * turned into a coded {@link StepAuthClientError}, and retries with full-jitter backoff on network
 * errors, timeouts, 5xx and 429 (honouring `Retry-After`). Other answers are final.
 */
import { backoffDelayMs, parseRetryAfter } from "../stepauth/retry";
import { StepAuthClientError, type ApiErrorCode } from "./errors";

/** How hard a call tries before it gives up with `gateway_unreachable`. */
export interface ClientRetryPolicy {
  /** Attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Each attempt is aborted after this long. */
  attemptTimeoutMs: number;
}

export const DEFAULT_CLIENT_RETRY: Readonly<ClientRetryPolicy> = Object.freeze({
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  attemptTimeoutMs: 15_000,
});

export interface HttpSettings {
  baseUrl: string;
  apiKey: string;
  fetch: typeof fetch;
  retry: ClientRetryPolicy;
  sleep: (ms: number) => Promise<void>;
}

export interface ApiCall {
  method: "GET" | "POST";
  /** A path under the base URL, or an absolute URL on the same origin (a webhook's `claimUrl`). */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Extra time for this attempt (a long-poll's wait). */
  extraTimeoutMs?: number;
}

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function resolveUrl(settings: HttpSettings, url: string): string {
  const base = new URL(settings.baseUrl.replace(/\/+$/, "") + "/");
  const target = /^https?:\/\//.test(url) ? new URL(url) : new URL(url.replace(/^\/+/, ""), base);
  // The API key goes to the configured gateway only, whatever a webhook names.
  if (target.origin !== base.origin)
    throw new StepAuthClientError("invalid_response", `refusing to send the API key to ${target.origin}`);
  return target.toString();
}

function errorFromBody(status: number, body: unknown): StepAuthClientError {
  const record = (body ?? {}) as { error?: unknown; message?: unknown; details?: unknown };
  // The API answers {error: code, message}; tolerate {error: {code, message}} too.
  const nested =
    typeof record.error === "object" && record.error !== null
      ? (record.error as { code?: unknown; message?: unknown; details?: unknown })
      : null;
  const code = nested ? nested.code : record.error;
  const message = nested ? nested.message : record.message;
  if (typeof code !== "string")
    return new StepAuthClientError("invalid_response", `the gateway answered HTTP ${status} without an error code`, {
      status,
    });
  return new StepAuthClientError(code as ApiErrorCode, typeof message === "string" ? message : code, {
    status,
    details: nested ? nested.details : record.details,
  });
}

/**
 * Calls the API and returns its JSON answer, or throws a coded error. Retries what can succeed
 * later; gives up with `gateway_unreachable` (the last failure as `cause`).
 */
export async function callApi<T>(settings: HttpSettings, call: ApiCall): Promise<T> {
  const url = resolveUrl(settings, call.url);
  let lastFailure: unknown;
  for (let attempt = 1; attempt <= settings.retry.maxAttempts; attempt += 1) {
    if (attempt > 1) await settings.sleep(retryDelay(settings.retry, attempt - 1, lastFailure));
    let response: Response;
    let text: string;
    try {
      response = await settings.fetch(url, {
        method: call.method,
        headers: {
          authorization: `Bearer ${settings.apiKey}`,
          accept: "application/json",
          ...(call.body === undefined ? {} : { "content-type": "application/json" }),
          ...call.headers,
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(settings.retry.attemptTimeoutMs + (call.extraTimeoutMs ?? 0)),
      });
      text = await response.text();
    } catch (error) {
      lastFailure = error;
      continue;
    }
    const body = parseJson(text);
    if (response.ok) {
      if (body === undefined)
        throw new StepAuthClientError("invalid_response", `the gateway answered HTTP ${response.status} with no JSON`, {
          status: response.status,
        });
      return body as T;
    }
    const failure = errorFromBody(response.status, body);
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      lastFailure = Object.assign(failure, {
        retryAfterMs: parseRetryAfter(response.headers.get("retry-after") ?? undefined, Date.now()),
      });
      continue;
    }
    throw failure;
  }
  throw new StepAuthClientError(
    "gateway_unreachable",
    `${call.method} ${url} failed ${settings.retry.maxAttempts} times: ${describe(lastFailure)}`,
    {
      cause: lastFailure,
      status: lastFailure instanceof StepAuthClientError ? lastFailure.status : undefined,
    },
  );
}

function retryDelay(policy: ClientRetryPolicy, retryNumber: number, lastFailure: unknown): number {
  const retryAfter = (lastFailure as { retryAfterMs?: number } | undefined)?.retryAfterMs;
  if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxDelayMs);
  return backoffDelayMs({ ...policy, factor: 2, maxRetryAfterMs: 0 }, retryNumber, Math.random);
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof StepAuthClientError) return `HTTP ${error.status} ${error.code}`;
  if (error instanceof Error)
    return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
  return String(error);
}
