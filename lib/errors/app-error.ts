/**
 * One error type for the application layer. Each failure has a stable code; the HTTP status of a
 * code lives in one table so route handlers never pick a status by hand.
 */
export const errorStatus = {
  malformed_request: 400,
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
  rate_limited: 429,
  // Onboarding: invitations and sign-up.
  invalid_invitation: 404,
  wrong_account: 403,
  account_exists: 409,
  signup_closed: 403,
  // Gateway and protocol outcomes.
  invalid_signature: 401,
  unknown_request: 404,
  sp_mismatch: 400,
  operator_depth_exceeded: 400,
  // The sandbox authorizer's wire codes (PROTOCOL.md error table).
  unknown_sp: 401,
  invalid_callback_url: 400,
  duplicate_request: 409,
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
