/**
 * The authorizer client: `submit`, `poll` and `cancel` against one authorizer endpoint, signing
 * with the SP's key(s), verifying decisions with the authorizer's key(s), and retrying per the
 * wire profile. Transport, clock, sleep and randomness are injected; nothing global is read.
 */
import { setTimeout as delay } from "node:timers/promises";
import { signEnvelope, signJsonPayload, type EnvelopeSigner, type TrustedKey } from "./envelope";
import { StepAuthError } from "./errors";
import {
  interpretCancelResponse,
  interpretPollResponse,
  interpretResultReportResponse,
  interpretSubmitResponse,
  type CancelResult,
  type PollResult,
  type ResultReportOutcome,
  type SubmitResult,
} from "./client-responses";
import { isAuthorizationRequestPayload, type AuthorizationRequestPayload } from "./request-payload";
import { parseAuthorizationRequest, type AuthorizationRequest, type CallbackUrlPolicy } from "./request-schema";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry";
import { requestIdSchema } from "./schemas";
import { sendWithRetry, type AttemptContext, type AttemptObserver } from "./send-with-retry";
import { createUndiciTransport, type HttpTransport } from "./transport";

/** Paths relative to the authorizer's endpoint (PROTOCOL.md). */
export const AUTHORIZER_PATHS = {
  submit: "/v1/authorization-requests",
  poll: "/v1/authorization-requests/poll",
  cancel: "/v1/authorization-requests/cancel",
  result: "/v1/authorization-requests/result",
} as const;

/**
 * The exact text an authorization request is signed as (its UTF-8 bytes are the envelope's
 * payload): the validated request, serialized. One definition for the signer and for anyone who
 * must name those bytes later (e.g. by their SHA-256).
 *
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode(signedRequestText(request));
 * ```
 */
export function signedRequestText(request: AuthorizationRequest, callbackPolicy: CallbackUrlPolicy = {}): string {
  return JSON.stringify(parseAuthorizationRequest(request, callbackPolicy));
}

/** What a result report says: the execution result of an approved request. */
export type ExecutionResultReport = { requestId: string; executedAt?: string } & (
  { status: "success" } | { status: "error"; error?: string }
);

/** Configuration of one client (one tenant × one authorizer). */
export interface AuthorizerClientOptions {
  /** Base URL of the authorizer, e.g. `https://authorizer.example.com`. */
  endpoint: string;
  spId: string;
  /** The SP's signing key(s); two during a rotation. */
  signers: readonly EnvelopeSigner[];
  /** The authorizer's current public key(s), used to verify decisions. */
  authorizerKeys: readonly TrustedKey[];
  retry?: Partial<RetryPolicy>;
  observer?: AttemptObserver;
  transport?: HttpTransport;
  /** Milliseconds since the epoch; defaults to `Date.now`. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1) for jitter; defaults to `Math.random` (jitter needs no secrecy). */
  random?: () => number;
  /** Passed to request validation (dev/test loopback callbacks). */
  callbackPolicy?: CallbackUrlPolicy;
}

function isoNow(clock: () => number): string {
  return new Date(clock()).toISOString();
}

/**
 * Client for one authorizer.
 *
 * @example
 * ```ts
 * const client = new AuthorizerClient({
 *   endpoint: "https://authorizer.example.com",
 *   spId: "sp_acme_mdm",
 *   signers: [{ keyId: "sp-key-2024", privateKey }],
 *   authorizerKeys: [{ keyId: "auth-key-2024", publicKey }],
 *   observer: (attempt) => audit.record(attempt),
 * });
 * const result = await client.submit(request); // { status: "pending" } or { status: "decided", decision }
 * ```
 */
export class AuthorizerClient {
  readonly #endpoint: string;
  readonly #spId: string;
  readonly #signers: readonly EnvelopeSigner[];
  readonly #authorizerKeys: readonly TrustedKey[];
  readonly #callbackPolicy: CallbackUrlPolicy;
  readonly #ctx: AttemptContext;

  constructor(options: AuthorizerClientOptions) {
    if (typeof options.endpoint !== "string" || !URL.canParse(options.endpoint)) {
      throw new StepAuthError("malformed_request", "endpoint must be an absolute URL");
    }
    const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
      throw new StepAuthError("malformed_request", "retry.maxAttempts must be a positive integer");
    }
    this.#endpoint = options.endpoint.replace(/\/+$/, "");
    this.#spId = options.spId;
    this.#signers = [...options.signers];
    this.#authorizerKeys = [...options.authorizerKeys];
    this.#callbackPolicy = { ...options.callbackPolicy };
    this.#ctx = {
      transport: options.transport ?? createUndiciTransport(),
      policy,
      clock: options.clock ?? Date.now,
      sleep: options.sleep ?? ((ms) => delay(ms)),
      random: options.random ?? Math.random,
      ...(options.observer ? { observer: options.observer } : {}),
    };
  }

  /**
   * Validates, signs and submits an authorization request. A `duplicate_request` (409) on a
   * retried attempt means the first attempt arrived, so it counts as pending.
   *
   * @example
   * ```ts
   * const result = await client.submit(request);
   * if (result.status === "decided") handle(result.decision);
   * ```
   */
  async submit(request: AuthorizationRequest | AuthorizationRequestPayload): Promise<SubmitResult> {
    const { requestId, spId, json } = this.#validatedPayload(request);
    if (spId !== this.#spId) throw new StepAuthError("malformed_request", "request spId is not this client's spId");
    const body = JSON.stringify(signEnvelope(new TextEncoder().encode(json), this.#signers));
    const response = await sendWithRetry(
      this.#ctx,
      "submit",
      requestId,
      this.#endpoint + AUTHORIZER_PATHS.submit,
      body,
    );
    return interpretSubmitResponse(response, requestId, this.#authorizerKeys);
  }

  // A payload made by authorizationRequestPayload under a policy no looser than this client's is
  // signed as it is; anything else is validated here.
  #validatedPayload(request: AuthorizationRequest | AuthorizationRequestPayload): {
    requestId: string;
    spId: string;
    json: string;
  } {
    if (
      isAuthorizationRequestPayload(request) &&
      (!request.loopbackHttpAllowed || this.#callbackPolicy.allowLoopbackHttp === true)
    )
      return request;
    const input = isAuthorizationRequestPayload(request) ? (JSON.parse(request.json) as unknown) : request;
    const validated = parseAuthorizationRequest(input, this.#callbackPolicy);
    return { requestId: validated.requestId, spId: validated.spId, json: JSON.stringify(validated) };
  }

  /**
   * Asks whether a request has been decided.
   *
   * @example
   * ```ts
   * const result = await client.poll("req_a1b2c3d4e5f6a7b8c9d0"); // pending or decided
   * ```
   */
  async poll(requestId: string): Promise<PollResult> {
    const body = this.#signedReference(requestId);
    const response = await sendWithRetry(this.#ctx, "poll", requestId, this.#endpoint + AUTHORIZER_PATHS.poll, body);
    return interpretPollResponse(response, requestId, this.#authorizerKeys);
  }

  /**
   * Cancels a pending request; if it was already decided, returns that (verified) decision.
   *
   * @example
   * ```ts
   * const result = await client.cancel(requestId); // { status: "cancelled" } or { status: "already_decided", decision }
   * ```
   */
  async cancel(requestId: string): Promise<CancelResult> {
    const body = this.#signedReference(requestId);
    const response = await sendWithRetry(
      this.#ctx,
      "cancel",
      requestId,
      this.#endpoint + AUTHORIZER_PATHS.cancel,
      body,
    );
    return interpretCancelResponse(response, requestId, this.#authorizerKeys);
  }

  /**
   * Sends a result report (PROTOCOL.md "Result report"): the execution result of an approved
   * request. A 501 is retried like any 5xx and, when the attempts run out on it, counts as unsupported.
   *
   * @example
   * ```ts
   * const outcome = await client.reportResult({ requestId, status: "success", executedAt }); // { status: "recorded" }
   * ```
   */
  async reportResult(report: ExecutionResultReport): Promise<ResultReportOutcome> {
    if (!requestIdSchema.safeParse(report.requestId).success)
      throw new StepAuthError("malformed_request", "invalid requestId");
    const payload = { ...report, spId: this.#spId, timestamp: isoNow(this.#ctx.clock) };
    const body = JSON.stringify(signJsonPayload(payload, this.#signers));
    try {
      const response = await sendWithRetry(
        this.#ctx,
        "result",
        report.requestId,
        this.#endpoint + AUTHORIZER_PATHS.result,
        body,
      );
      return interpretResultReportResponse(response, report.requestId);
    } catch (error) {
      if (error instanceof StepAuthError && error.details?.lastStatus === 501)
        return { status: "unsupported", requestId: report.requestId, httpStatus: 501 };
      throw error;
    }
  }

  #signedReference(requestId: string): string {
    if (!requestIdSchema.safeParse(requestId).success)
      throw new StepAuthError("malformed_request", "invalid requestId");
    const payload = { requestId, spId: this.#spId, timestamp: isoNow(this.#ctx.clock) };
    return JSON.stringify(signJsonPayload(payload, this.#signers));
  }
}
