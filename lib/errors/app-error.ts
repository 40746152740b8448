/**
 * One error type for the application layer and the one error table of the API. Each failure has a
 * stable code; the HTTP status of a code lives here (the protocol's wire codes: PROTOCOL.md's
 * statuses, held as data by the protocol core and read from it) so route handlers never pick a
 * status by hand. toAppError (below) is the one conversion of anything thrown, protocol failures
 * included, and every route's catch uses it (lib/http/api-route.ts toErrorResponse).
 */
import { ZodError } from "zod";
import {
  isStepAuthError,
  isWireErrorCode,
  STEPAUTH_ERROR_CODES,
  WIRE_ERROR_CODES,
  type StepAuthError,
  type WireErrorCode,
} from "../stepauth/errors";

const protocolStatus = Object.fromEntries(
  WIRE_ERROR_CODES.map((code) => [code, STEPAUTH_ERROR_CODES[code].httpStatus]),
) as { [C in WireErrorCode]: (typeof STEPAUTH_ERROR_CODES)[C]["httpStatus"] };

const applicationStatus = {
  invalid_json: 400,
  validation_failed: 400,
  invalid_routing_script: 400,
  unauthenticated: 401,
  invalid_api_key: 401,
  invalid_credentials: 401,
  forbidden: 403,
  /** A reviewer tried to approve a request whose principal chain names them. */
  separation_of_duties: 403,
  insufficient_scope: 403,
  authorizer_disabled: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  // Onboarding: invitations and sign-up.
  invalid_invitation: 404,
  wrong_account: 403,
  account_exists: 409,
  signup_closed: 403,
  // Gateway and sandbox outcomes beyond the protocol's wire codes.
  sp_mismatch: 400,
  request_cancelled: 409,
  request_expired: 409,
  already_decided: 409,
  already_claimed: 409,
  payload_mismatch: 409,
  execution_window_closed: 410,
  not_approved: 409,
  no_authorizer: 409,
  no_signing_key: 409,
  signing_key_in_use: 409,
  /** A destructive change needs its target named again (`confirmName`, `confirmEmail`, …). */
  confirmation_required: 409,
  /** The default authorizer cannot be deleted: make another one the default first. */
  default_authorizer: 409,
  internal_error: 500,
  service_unavailable: 503,
} as const satisfies Record<string, number>;

/** Every code the API answers with and its HTTP status: the application's codes and the protocol's wire codes. */
export const errorStatus = { ...applicationStatus, ...protocolStatus } as const satisfies Record<string, number>;

export type AppErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  readonly details?: unknown;
  /** Seconds, sent as `Retry-After` for rate_limited / service_unavailable. */
  readonly retryAfter?: number;

  constructor(
    code: AppErrorCode,
    message: string,
    options: { details?: unknown; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = errorStatus[code];
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }
}

/** The body every API error answers with. */
export interface ErrorBody {
  error: AppErrorCode;
  message: string;
  details?: unknown;
}

export function errorBody(error: AppError): ErrorBody {
  return error.details === undefined
    ? { error: error.code, message: error.message }
    : { error: error.code, message: error.message, details: error.details };
}

export function errorResponse(error: AppError): Response {
  const headers = new Headers({ "content-type": "application/json", "cache-control": "no-store" });
  if (error.retryAfter !== undefined) headers.set("retry-after", String(Math.ceil(error.retryAfter)));
  return new Response(JSON.stringify(errorBody(error)), { status: error.status, headers });
}

/** A zod failure as the API's `validation_failed` error, with a path and message per issue. */
export function validationFailed(error: ZodError, message = "The request body is not valid"): AppError {
  const details = error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  return new AppError("validation_failed", message, { details });
}

/**
 * Whose protocol message failed, which decides what a protocol-core failure means to the API's caller:
 * - `gateway` (the default, every route's catch): a message of ours, or one we checked without saying
 *   whose it was. Our own wire codes answer as themselves; a local failure (a key we hold, an
 *   authorizer's answer, including an authorizer's error answer and its wire code) is our own fault: `internal_error`.
 * - `peer`: the caller signed and sent it (the sandbox's SP calls). Wire codes answer as themselves;
 *   any other failure of its message (a zod failure too) is the caller's `malformed_request`.
 * - `client`: the gateway built it from an API client's JSON body (submit). The client never saw the
 *   protocol, so its mistakes are `validation_failed`, except an operator chain too deep (its own code)
 *   and a callback URL derived from the tenant's settings (`conflict`: the fix is publicBaseUrl, not the body).
 */
export type ProtocolMessageSource = "gateway" | "peer" | "client";

function fromStepAuthError(error: StepAuthError, source: ProtocolMessageSource): AppError {
  const details = error.details;
  if (source === "client") {
    if (error.code === "operator_depth_exceeded") return new AppError("operator_depth_exceeded", error.message);
    if (error.code === "invalid_callback_url")
      return new AppError(
        "conflict",
        "The gateway's public URL cannot be used as a callback URL: set publicBaseUrl to an https URL",
      );
    return new AppError("validation_failed", error.message, { details });
  }
  // An authorizer's error answer (errorFrom in lib/stepauth/client-responses.ts records its HTTP
  // status) carries the authorizer's wire code: told to our API client it would look like their own
  // key or rate was wrong. Their authorizer failing us is our fault to answer.
  if (source === "gateway" && isRemoteAnswer(error))
    return new AppError("internal_error", "Something went wrong on our side", { cause: error });
  if (isWireErrorCode(error.code)) return new AppError(error.code, error.message, { details, cause: error });
  if (source === "peer") return new AppError("malformed_request", error.message, { details, cause: error });
  return new AppError("internal_error", "Something went wrong on our side", { cause: error });
}

function isRemoteAnswer(error: StepAuthError): boolean {
  const details = error.details;
  return typeof details === "object" && details !== null && "status" in details;
}

/**
 * The one conversion of a thrown failure to the API's error: an AppError as it is, a zod failure as
 * `validation_failed`, a protocol-core StepAuthError by {@link ProtocolMessageSource}. Anything else
 * is a bug, not a failure with a code: null, so the caller rethrows it (or answers internal_error).
 *
 * @example
 * ```ts
 * try { parseEnvelope(body); } catch (error) { throw toAppError(error, "peer") ?? error; }
 * ```
 */
export function toAppError(error: unknown, source: ProtocolMessageSource = "gateway"): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError)
    // A peer speaks the protocol, whose code for a message that fails its schema is malformed_request.
    return source === "peer"
      ? new AppError("malformed_request", "The message is not valid", { details: validationFailed(error).details })
      : validationFailed(error);
  if (isStepAuthError(error)) return fromStepAuthError(error, source);
  return null;
}
