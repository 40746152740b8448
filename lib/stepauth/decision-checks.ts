/**
 * The checks an SP makes before acting on a verified decision (guide §10), as one pure function.
 * Signature verification happens before this; execution (at most once) happens after.
 */
import type { Decision } from "./message-schemas";

/** What the SP stored about the request when it sent it. */
export interface StoredRequestFacts {
  requestId: string;
  /** The SP's identity for this tenant and authorizer. */
  spId: string;
  /** The `timestamp` of the request as signed and sent: the lower end of the freshness window. */
  requestTimestamp: string | Date;
  expiresAt: string | Date;
  status: "pending" | "decided" | "cancelled" | "expired";
  /** Whether the authorizer the decision came from is enabled now (the tenant's kill switch). */
  authorizerEnabled: boolean;
}

/** How far a decision's `timestamp` may lie before the request's, or after now (PROTOCOL.md). */
export const DECISION_CLOCK_SKEW_MS = 5 * 60_000;

/** Why a verified decision must not be acted on; stable codes in check order. */
export const DECISION_REJECTIONS = [
  "unknown_request",
  "request_mismatch",
  "sp_mismatch",
  "authorizer_disabled",
  "stale_timestamp",
  "cancelled",
  "expired",
  "already_decided",
] as const;

/** A decision rejection code. */
export type DecisionRejection = (typeof DECISION_REJECTIONS)[number];

/** Accept, or a stable rejection code. */
export type DecisionCheckResult = { accept: true } | { accept: false; code: DecisionRejection };

function toMillis(value: string | Date | number): number {
  return value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
}

/**
 * True when a decision's `timestamp` lies within [request timestamp − 5 min, now + 5 min]. An
 * unparseable time is not fresh: fail closed.
 *
 * @example
 * ```ts
 * isFresh("2026-02-18T14:41:07Z", "2026-02-18T14:35:00Z", Date.parse("2026-02-18T14:41:08Z")); // true
 * ```
 */
export function isFresh(decisionTimestamp: string, requestTimestamp: string | Date, now: Date | number): boolean {
  const at = toMillis(decisionTimestamp);
  return at >= toMillis(requestTimestamp) - DECISION_CLOCK_SKEW_MS && at <= toMillis(now) + DECISION_CLOCK_SKEW_MS;
}

/**
 * Decides whether a verified decision may be acted on. `stored` is `undefined` when the SP never
 * generated this requestId. A decision from a disabled authorizer is refused; so is one whose
 * `timestamp` lies outside [request timestamp − 5 min, now + 5 min] (`stale_timestamp`, answered
 * as `malformed_request`). A request that expired, or a decision arriving after `expiresAt`, is
 * `expired`; a stored request in `decided` state is `already_decided` (requestId is the
 * idempotency key).
 *
 * @example
 * ```ts
 * const check = checkDecision(await findRequest(decision.requestId), decision, clock());
 * if (!check.accept) return audit("decision_rejected", check.code);
 * ```
 */
export function checkDecision(
  stored: StoredRequestFacts | undefined,
  decision: Pick<Decision, "requestId" | "spId" | "timestamp">,
  now: Date | number,
): DecisionCheckResult {
  if (stored === undefined) return { accept: false, code: "unknown_request" };
  if (stored.requestId !== decision.requestId) return { accept: false, code: "request_mismatch" };
  if (stored.spId !== decision.spId) return { accept: false, code: "sp_mismatch" };
  if (!stored.authorizerEnabled) return { accept: false, code: "authorizer_disabled" };
  if (!isFresh(decision.timestamp, stored.requestTimestamp, now)) return { accept: false, code: "stale_timestamp" };
  if (stored.status === "cancelled") return { accept: false, code: "cancelled" };
  if (stored.status === "expired") return { accept: false, code: "expired" };
  if (stored.status === "decided") return { accept: false, code: "already_decided" };
  const expiresAt = toMillis(stored.expiresAt);
  // An unparseable expiry is treated as expired: fail closed.
  if (!(toMillis(now) < expiresAt)) return { accept: false, code: "expired" };
  return { accept: true };
}
