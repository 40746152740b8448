/**
 * One error class for the service client. `code` is stable: an error code of the gateway's API
 * (`already_claimed`, `execution_window_closed`, `invalid_api_key`, …) when the gateway answered,
 * or one of the client's own codes when it did not. Branch on `code`, never on the message.
 */
import type { AppErrorCode } from "../errors/app-error";

/** Failures that happen on the service's side of the wire. */
export const CLIENT_ERROR_CODES = [
  /** The gateway could not be reached (network error, timeout) or kept answering 5xx/429 through every retry. */
  "gateway_unreachable",
  /** The gateway answered something that is not the API's JSON. */
  "invalid_response",
  /** The webhook's Standard Webhooks signature, timestamp or body did not verify. */
  "invalid_webhook",
  /** The execution ran but its result could not be reported; `result` carries it so it is never lost silently. */
  "report_failed",
  /** `wait()` reached its timeout while the request was still pending. */
  "wait_timeout",
] as const;

export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/**
 * The API's error codes (one table with the gateway, lib/errors/app-error.ts), plus the claim's
 * codes, which the execution contract adds.
 */
export type ApiErrorCode = AppErrorCode | "payload_mismatch" | "execution_window_closed";

export type StepAuthClientErrorCode = ApiErrorCode | ClientErrorCode;

/**
 * Raised by every client call.
 *
 * @example
 * ```ts
 * try { await client.submit(request); } catch (e) { if (isStepAuthClientError(e) && e.code === "rate_limited") … }
 * ```
 */
export class StepAuthClientError extends Error {
  readonly code: StepAuthClientErrorCode;
  /** The HTTP status the gateway answered with, when it answered. */
  readonly status: number | undefined;
  readonly details: unknown;
  /** For `report_failed`: the result that could not be reported. */
  readonly result: { status: "success" | "error"; error?: string } | undefined;

  constructor(
    code: StepAuthClientErrorCode,
    message: string,
    options: {
      status?: number;
      details?: unknown;
      cause?: unknown;
      result?: { status: "success" | "error"; error?: string };
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "StepAuthClientError";
    this.code = code;
    this.status = options.status;
    this.details = options.details;
    this.result = options.result;
  }
}

/** True when `error` is a {@link StepAuthClientError}, optionally with this `code`. */
export function isStepAuthClientError(error: unknown, code?: StepAuthClientErrorCode): error is StepAuthClientError {
  return error instanceof StepAuthClientError && (code === undefined || error.code === code);
}
