/**
 * Interpretation of authorizer answers into typed results. Decisions are verified against the
 * authorizer's keys and schema-checked here, so callers only ever see verified decisions.
 */
import type { SignedEnvelope } from "./envelope-parse";
import { verifyEnvelope, type TrustedKey } from "./envelope";
import { isWireErrorCode, StepAuthError } from "./errors";
import {
  alreadyDecidedResponseSchema,
  cancelledResponseSchema,
  decisionSchema,
  errorBodySchema,
  pendingResponseSchema,
  resultRecordedResponseSchema,
  submitResponseSchema,
  type Decision,
} from "./message-schemas";
import type { FinalResponse } from "./send-with-retry";

/** A verified decision with the envelope that proves it (store both). */
export interface VerifiedDecision {
  status: "decided";
  requestId: string;
  decision: Decision;
  envelope: SignedEnvelope;
  /** The authorizer keyId whose signature verified. */
  keyId: string;
}

/** Result of `submit`. */
export type SubmitResult = { status: "pending"; requestId: string } | VerifiedDecision;
/** Result of `poll`. */
export type PollResult = { status: "pending"; requestId: string } | VerifiedDecision;
/**
 * Result of `reportResult`: `recorded`; `unknown_request` (the authorizer has no such request);
 * `unsupported` (404/405/501 without the `unknown_request` code: it does not implement result reports).
 */
export type ResultReportOutcome =
  | { status: "recorded"; requestId: string }
  | { status: "unknown_request"; requestId: string }
  | { status: "unsupported"; requestId: string; httpStatus: number };
/** Result of `cancel`. */
export type CancelResult =
  { status: "cancelled"; requestId: string } | (Omit<VerifiedDecision, "status"> & { status: "already_decided" });

function parseJson(response: FinalResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    throw new StepAuthError("invalid_response", "authorizer answered with invalid JSON", {
      details: { status: response.status },
    });
  }
}

/**
 * Verifies a decision envelope from an authorizer and checks it answers `requestId`.
 *
 * @example
 * ```ts
 * const verified = verifyDecisionEnvelope(body.decision, requestId, authorizerKeys);
 * ```
 */
export function verifyDecisionEnvelope(
  envelope: unknown,
  requestId: string,
  keys: readonly TrustedKey[],
): VerifiedDecision {
  const verified = verifyEnvelope(envelope, keys);
  const parsed = decisionSchema.safeParse(verified.payload);
  if (!parsed.success) throw new StepAuthError("invalid_response", "decision payload failed validation");
  if (parsed.data.requestId !== requestId) {
    throw new StepAuthError("invalid_response", "decision is for another request", { details: { requestId } });
  }
  return { status: "decided", requestId, decision: parsed.data, envelope: verified.envelope, keyId: verified.keyId };
}

function errorFrom(response: FinalResponse, body: unknown): StepAuthError {
  const parsed = errorBodySchema.safeParse(body);
  const wire = parsed.success ? parsed.data.error : undefined;
  const code = isWireErrorCode(wire) ? wire : "authorizer_error";
  return new StepAuthError(code, parsed.success ? parsed.data.message : `authorizer answered ${response.status}`, {
    details: { status: response.status, attempts: response.attempt, ...(wire ? { error: wire } : {}) },
  });
}

function safeJson(response: FinalResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    return undefined;
  }
}

/**
 * Interprets a submit answer: 202 pending, 200 decided at once, 409 on a retry → pending.
 *
 * @example
 * ```ts
 * interpretSubmitResponse({ status: 202, headers: {}, body, attempt: 1 }, requestId, keys);
 * ```
 */
export function interpretSubmitResponse(
  response: FinalResponse,
  requestId: string,
  keys: readonly TrustedKey[],
): SubmitResult {
  if (response.status === 409 && response.attempt > 1) {
    const body = safeJson(response);
    if ((body as { error?: unknown } | undefined)?.error === "duplicate_request")
      return { status: "pending", requestId };
  }
  if (response.status !== 200 && response.status !== 202) throw errorFrom(response, safeJson(response));
  const body = submitResponseSchema.safeParse(parseJson(response));
  if (!body.success || body.data.requestId !== requestId) {
    throw new StepAuthError("invalid_response", "unexpected submit response", { details: { status: response.status } });
  }
  if (body.data.status === "pending") return { status: "pending", requestId };
  return verifyDecisionEnvelope(body.data.decision, requestId, keys);
}

/**
 * Interprets a poll answer: 200 decision envelope, 202 pending, 404 `unknown_request`.
 *
 * @example
 * ```ts
 * interpretPollResponse(response, requestId, keys).status; // "pending" | "decided"
 * ```
 */
export function interpretPollResponse(
  response: FinalResponse,
  requestId: string,
  keys: readonly TrustedKey[],
): PollResult {
  if (response.status === 202) {
    const body = pendingResponseSchema.safeParse(parseJson(response));
    if (!body.success || body.data.requestId !== requestId)
      throw new StepAuthError("invalid_response", "unexpected poll response");
    return { status: "pending", requestId };
  }
  if (response.status !== 200) throw errorFrom(response, safeJson(response));
  return verifyDecisionEnvelope(parseJson(response), requestId, keys);
}

/**
 * Interprets a cancel answer: 200 cancelled, 409 already decided (with the verified decision).
 *
 * @example
 * ```ts
 * interpretCancelResponse(response, requestId, keys).status; // "cancelled" | "already_decided"
 * ```
 */
export function interpretCancelResponse(
  response: FinalResponse,
  requestId: string,
  keys: readonly TrustedKey[],
): CancelResult {
  if (response.status === 409) {
    const body = alreadyDecidedResponseSchema.safeParse(safeJson(response));
    if (!body.success) throw errorFrom(response, safeJson(response));
    return { ...verifyDecisionEnvelope(body.data.decision, requestId, keys), status: "already_decided" };
  }
  if (response.status !== 200) throw errorFrom(response, safeJson(response));
  const body = cancelledResponseSchema.safeParse(parseJson(response));
  if (!body.success || body.data.requestId !== requestId)
    throw new StepAuthError("invalid_response", "unexpected cancel response");
  return { status: "cancelled", requestId };
}

/** The statuses by which an authorizer says it has no result-report endpoint (PROTOCOL.md "Result report"). */
export const RESULT_REPORT_UNSUPPORTED_STATUSES: readonly number[] = [404, 405, 501];

/**
 * Interprets a result report answer: 200 recorded, 404 `unknown_request`, 404/405/501 otherwise:
 * the endpoint is not implemented.
 *
 * @example
 * ```ts
 * interpretResultReportResponse(response, requestId).status; // "recorded" | "unknown_request" | "unsupported"
 * ```
 */
export function interpretResultReportResponse(response: FinalResponse, requestId: string): ResultReportOutcome {
  if (RESULT_REPORT_UNSUPPORTED_STATUSES.includes(response.status)) {
    const parsed = errorBodySchema.safeParse(safeJson(response));
    if (response.status === 404 && parsed.success && parsed.data.error === "unknown_request")
      return { status: "unknown_request", requestId };
    return { status: "unsupported", requestId, httpStatus: response.status };
  }
  if (response.status !== 200) throw errorFrom(response, safeJson(response));
  const body = resultRecordedResponseSchema.safeParse(parseJson(response));
  if (!body.success || body.data.requestId !== requestId)
    throw new StepAuthError("invalid_response", "unexpected result report response");
  return { status: "recorded", requestId };
}
