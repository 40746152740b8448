/**
 * Stable error codes of the StepAuth protocol core.
 *
 * Codes are data, not prose: callers, route handlers and tests branch on `code`; the message is
 * for humans only. The `httpStatus` column matches the error table of the wire profile
 * (PROTOCOL.md); codes that never cross the wire have no status.
 */

/**
 * Every error code the core can raise, with the HTTP status the wire profile assigns to it.
 *
 * @example
 * ```ts
 * STEPAUTH_ERROR_CODES.invalid_signature.httpStatus; // 401
 * ```
 */
export const STEPAUTH_ERROR_CODES = {
  // Protocol error codes (PROTOCOL.md error table).
  invalid_signature: { httpStatus: 401, retryable: false },
  unknown_sp: { httpStatus: 401, retryable: false },
  malformed_request: { httpStatus: 400, retryable: false },
  invalid_callback_url: { httpStatus: 400, retryable: false },
  operator_depth_exceeded: { httpStatus: 400, retryable: false },
  unknown_request: { httpStatus: 404, retryable: false },
  duplicate_request: { httpStatus: 409, retryable: false },
  rate_limited: { httpStatus: 429, retryable: true },
  // Local failures that never become an authorizer response.
  invalid_key: { httpStatus: undefined, retryable: false },
  invalid_key_id: { httpStatus: undefined, retryable: false },
  authorizer_unavailable: { httpStatus: undefined, retryable: false },
  authorizer_error: { httpStatus: undefined, retryable: false },
  invalid_response: { httpStatus: undefined, retryable: false },
  // The transport refused the call: an answer over the size limit, a destination the network policy forbids.
  response_too_large: { httpStatus: undefined, retryable: false },
  destination_refused: { httpStatus: undefined, retryable: false },
} as const satisfies Record<string, { httpStatus: number | undefined; retryable: boolean }>;

/**
 * Union of every stable error code.
 *
 * @example
 * ```ts
 * const code: StepAuthErrorCode = "malformed_request";
 * ```
 */
export type StepAuthErrorCode = keyof typeof STEPAUTH_ERROR_CODES;

/**
 * Codes that an authorizer may put in an `{"error": ...}` body (the wire subset).
 *
 * @example
 * ```ts
 * WIRE_ERROR_CODES.includes("rate_limited"); // true
 * ```
 */
export const WIRE_ERROR_CODES = [
  "invalid_signature",
  "unknown_sp",
  "malformed_request",
  "invalid_callback_url",
  "operator_depth_exceeded",
  "unknown_request",
  "duplicate_request",
  "rate_limited",
] as const satisfies readonly StepAuthErrorCode[];

/**
 * A protocol error code that can appear on the wire.
 *
 * @example
 * ```ts
 * const code: WireErrorCode = "unknown_sp";
 * ```
 */
export type WireErrorCode = (typeof WIRE_ERROR_CODES)[number];

const wireCodes: ReadonlySet<string> = new Set(WIRE_ERROR_CODES);

/**
 * Narrows an arbitrary string (e.g. an authorizer's `error` field) to a wire error code.
 *
 * @example
 * ```ts
 * isWireErrorCode("unknown_sp"); // true
 * isWireErrorCode("teapot"); // false
 * ```
 */
export function isWireErrorCode(value: unknown): value is WireErrorCode {
  return typeof value === "string" && wireCodes.has(value);
}

/**
 * The one error class of the protocol core. `code` is stable; `httpStatus` comes from
 * {@link STEPAUTH_ERROR_CODES}; `details` carries machine-readable context (never key material).
 *
 * @example
 * ```ts
 * try {
 *   verifyEnvelope(input, trustedKeys);
 * } catch (err) {
 *   if (err instanceof StepAuthError && err.code === "invalid_signature") alertTeam();
 * }
 * ```
 */
export class StepAuthError extends Error {
  override readonly name = "StepAuthError";
  readonly code: StepAuthErrorCode;
  readonly httpStatus: number | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: StepAuthErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.httpStatus = STEPAUTH_ERROR_CODES[code].httpStatus;
    this.details = options.details;
  }

  /** The JSON error body of the wire profile: `{"error": code, "message": text}`. */
  toErrorBody(): { error: StepAuthErrorCode; message: string } {
    return { error: this.code, message: this.message };
  }
}

/**
 * True when `err` is a {@link StepAuthError}, optionally with the given code.
 *
 * @example
 * ```ts
 * if (isStepAuthError(err, "rate_limited")) scheduleRetry();
 * ```
 */
export function isStepAuthError(err: unknown, code?: StepAuthErrorCode): err is StepAuthError {
  return err instanceof StepAuthError && (code === undefined || err.code === code);
}
