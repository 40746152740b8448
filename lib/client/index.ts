/**
 * A small framework-free client for StepAuth Gateway services: submit a sensitive action, wait for
 * its decision, verify the gateway's webhooks and execute an approval exactly once.
 *
 * @example
 * ```ts
 * const stepauth = createClient({ baseUrl: "https://gateway.example.com", apiKey, webhookSecret });
 * // in the webhook handler, with the raw body:
 * const answer = await stepauth.execute({ rawBody, headers: req.headers }, async (event) => wipe(event.data.action));
 * res.status(200).json(answer);
 * // or, without a webhook:
 * const decided = await stepauth.wait((await stepauth.submit(request)).requestId, { timeoutMs: 600_000 });
 * if (decided.status === "approved") await stepauth.executeApproved(decided, () => wipe(request.action));
 * ```
 */
import type { SubmitRequest } from "./api-schemas";
import { StepAuthClientError } from "./errors";
import { claimRunReport, executeOnce, type WebhookAnswer } from "./execute";
import { callApi, DEFAULT_CLIENT_RETRY, defaultSleep, type ClientRetryPolicy, type HttpSettings } from "./http";
import { verifyWebhook, type WebhookEvent, type WebhookHeaders } from "./webhook";

export type { SubmitRequest, ExecutionResult } from "./api-schemas";
export { submitRequestSchema, idempotencyKeySchema } from "./api-schemas";
export { StepAuthClientError, isStepAuthClientError, CLIENT_ERROR_CODES } from "./errors";
export type { ApiErrorCode, ClientErrorCode, StepAuthClientErrorCode } from "./errors";
export type { WebhookAnswer, ExecutionClaim } from "./execute";
export { DEFAULT_CLIENT_RETRY, type ClientRetryPolicy } from "./http";
export { verifyWebhookSignature, webhookEventSchema, WEBHOOK_TOLERANCE_SECONDS } from "./webhook";
export type { WebhookEvent, WebhookHeaders, ExecutionTicket } from "./webhook";

/** A request as the API shows it (`GET /api/v1/authorization-requests/{id}`); fields beyond these pass through. */
export interface RequestView {
  requestId: string;
  externalId: string | null;
  status: "pending" | "approved" | "denied" | "expired" | "cancelled" | (string & {});
  statusReason: string | null;
  failOpen: boolean;
  expiresAt: string;
  decision: { decision: string | null; reason: string | null; reviewers: unknown; decidedAt: string } | null;
  execution: { state: string; error?: string | null } & Record<string, unknown>;
  [field: string]: unknown;
}

export interface ClientOptions {
  /** The gateway's origin, e.g. `https://gateway.example.com`. */
  baseUrl: string;
  /** An API key (`sag_…`) with `requests:write` (submit, claim, report) and `requests:read` (wait). */
  apiKey: string;
  /** The webhook signing secret (`whsec_…`); needed by `verifyWebhook` and `execute`. */
  webhookSecret?: string;
  fetch?: typeof fetch;
  retry?: Partial<ClientRetryPolicy>;
  /** Tests: a clock for the webhook timestamp check. */
  now?: () => number;
}

/** A webhook as received: the raw body (exactly the bytes sent) and the request's headers. */
export interface ReceivedWebhook {
  rawBody: string;
  headers: WebhookHeaders;
}

/** The longest single long-poll the API holds (`?wait=` ≤ 30). */
const MAX_WAIT_SECONDS = 30;

/** Creates a client bound to one gateway and API key. */
export function createClient(options: ClientOptions) {
  const http: HttpSettings = {
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    fetch: options.fetch ?? globalThis.fetch,
    retry: { ...DEFAULT_CLIENT_RETRY, ...options.retry },
    sleep: defaultSleep,
  };
  const secret = () => {
    if (!options.webhookSecret)
      throw new StepAuthClientError("invalid_webhook", "createClient was given no webhookSecret");
    return options.webhookSecret;
  };

  return {
    /**
     * Submits an action for authorization; `202` pending or `200` final. With an `idempotencyKey`,
     * a retry of the same body answers the same request and sends nothing twice (which makes
     * retrying a submit whose answer was lost safe; without one, a lost answer is not retried).
     */
    submit(request: SubmitRequest, submitOptions: { idempotencyKey?: string } = {}): Promise<RequestView> {
      const key = submitOptions.idempotencyKey;
      const retry = key ? http : { ...http, retry: { ...http.retry, maxAttempts: 1 } };
      return callApi<RequestView>(retry, {
        method: "POST",
        url: "/api/v1/authorization-requests",
        body: request,
        headers: key ? { "idempotency-key": key } : {},
      });
    },

    /** The request now, without waiting. */
    get(requestId: string): Promise<RequestView> {
      return callApi<RequestView>(http, {
        method: "GET",
        url: `/api/v1/authorization-requests/${encodeURIComponent(requestId)}`,
      });
    },

    /**
     * Long-polls until the request is no longer pending and returns it; throws `wait_timeout`
     * after `timeoutMs` (default 60 s) while it is still pending.
     */
    async wait(requestId: string, waitOptions: { timeoutMs?: number } = {}): Promise<RequestView> {
      const deadline = Date.now() + (waitOptions.timeoutMs ?? 60_000);
      for (;;) {
        const seconds = Math.max(0, Math.min(MAX_WAIT_SECONDS, Math.floor((deadline - Date.now()) / 1000)));
        const view = await callApi<RequestView>(http, {
          method: "GET",
          url: `/api/v1/authorization-requests/${encodeURIComponent(requestId)}?wait=${seconds}`,
          extraTimeoutMs: seconds * 1000,
        });
        if (view.status !== "pending") return view;
        if (Date.now() >= deadline || seconds === 0)
          throw new StepAuthClientError("wait_timeout", `${requestId} is still pending`, { details: view });
      }
    },

    /** Verifies a webhook (Standard Webhooks) and returns its event; throws `invalid_webhook`. */
    verifyWebhook(rawBody: string, headers: WebhookHeaders): WebhookEvent {
      return verifyWebhook(secret(), rawBody, headers, { now: options.now });
    },

    /**
     * For a service that learns of approvals by `submit`/`wait` rather than by webhook: claims the
     * approved request's execution, runs `action` only if this claim won, and reports its result.
     * `accepted` means another caller holds the claim (the action did not run here).
     */
    executeApproved<T>(request: RequestView | string, action: () => Promise<T> | T): Promise<WebhookAnswer> {
      return claimRunReport(http, typeof request === "string" ? request : request.requestId, undefined, action);
    },

    /**
     * Verifies the webhook, claims its execution, runs `action` only if this claim won, reports the
     * result (a thrown error is reported as `error`) and returns what to answer the webhook with.
     * Answer `invalid_webhook` with 401 and any other thrown error with a 5xx (the gateway redelivers).
     */
    async execute<T>(
      webhook: ReceivedWebhook | WebhookEvent,
      action: (event: WebhookEvent) => Promise<T> | T,
    ): Promise<WebhookAnswer> {
      const event =
        "rawBody" in webhook
          ? verifyWebhook(secret(), webhook.rawBody, webhook.headers, { now: options.now })
          : webhook;
      return executeOnce(http, event, action);
    },
  };
}

export type StepAuthClient = ReturnType<typeof createClient>;
