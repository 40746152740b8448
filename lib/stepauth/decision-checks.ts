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
  expiresAt: string | Date;
  status: "pending" | "decided" | "cancelled";
}

/** Why a verified decision must not be acted on; stable codes in check order. */
export const DECISION_REJECTIONS = [
  "unknown_request",
  "request_mismatch",
  "sp_mismatch",
  "cancelled",
  "already_decided",
  "expired",
] as const;

/** A decision rejection code. */
export type DecisionRejection = (typeof DECISION_REJECTIONS)[number];

/** Accept, or a stable rejection code. */
export type DecisionCheckResult = { accept: true } | { accept: false; code: DecisionRejection };

function toMillis(value: string | Date | number): number {
  return value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
}

/**
 * Decides whether a verified decision may be acted on. `stored` is `undefined` when the SP never
 * generated this requestId. A decision arriving after `expiresAt` is rejected; a stored request in
 * `decided` state is rejected as `already_decided` (requestId is the idempotency key).
 *
 * @example
 * ```ts
 * const check = checkDecision(await findRequest(decision.requestId), decision, clock());
 * if (!check.accept) return audit("decision_rejected", check.code);
 * ```
 */
export function checkDecision(
  stored: StoredRequestFacts | undefined,
  decision: Pick<Decision, "requestId" | "spId">,
  now: Date | number,
): DecisionCheckResult {
  if (stored === undefined) return { accept: false, code: "unknown_request" };
  if (stored.requestId !== decision.requestId) return { accept: false, code: "request_mismatch" };
  if (stored.spId !== decision.spId) return { accept: false, code: "sp_mismatch" };
  if (stored.status === "cancelled") return { accept: false, code: "cancelled" };
  if (stored.status === "decided") return { accept: false, code: "already_decided" };
  const expiresAt = toMillis(stored.expiresAt);
  // An unparseable expiry is treated as expired: fail closed.
  if (!(toMillis(now) < expiresAt)) return { accept: false, code: "expired" };
  return { accept: true };
}
