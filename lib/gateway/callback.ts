import type { Database } from "@/db/client";
import { recordRefusedCallback } from "@/db/queries/audit";
import { getExecution, markResultReported } from "@/db/queries/executions";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { authorizerCallbackContext } from "@/lib/auth/system-context";
import { AppError } from "@/lib/errors/app-error";
import {
  decisionSchema,
  isStepAuthError,
  verifyEnvelope,
  type DecisionRejection,
  type VerifiedDecision,
} from "@/lib/stepauth";
import { applyVerifiedDecision } from "./decisions";
import { runJob } from "./jobs";
import { trustedKeysOf } from "./tenant-runtime";
import { CALLBACK_RESULT_WAIT_MS } from "./execution-claim";

const rejectionErrors: Record<DecisionRejection, AppError> = {
  unknown_request: new AppError("unknown_request", "This requestId was not sent to this authorizer"),
  request_mismatch: new AppError("unknown_request", "This requestId was not sent to this authorizer"),
  sp_mismatch: new AppError("sp_mismatch", "The decision's spId is not this SP's identity at this authorizer"),
  authorizer_disabled: new AppError(
    "authorizer_disabled",
    "This authorizer is disabled: its decisions no longer count",
  ),
  stale_timestamp: new AppError(
    "malformed_request",
    "The decision's timestamp lies outside [request timestamp - 5 min, now + 5 min]",
  ),
  cancelled: new AppError("request_cancelled", "The request was cancelled; nothing will execute"),
  already_decided: new AppError("already_decided", "Another decision already decided this request"),
  expired: new AppError("request_expired", "The request expired before this decision arrived"),
};

/** The callback's answer: the execution result when known within the wait, else `accepted`. */
export type CallbackAnswer = { status: "success" } | { status: "error"; error: string } | { status: "accepted" };

/**
 * `POST /api/stepauth/callback/{authorizerId}`: verifies the decision envelope with that
 * authorizer's keys, applies it (first valid decision wins), sends an approval to the service
 * webhook, and answers the execution result only when it is known within CALLBACK_RESULT_WAIT_MS
 * (PROTOCOL.md "Callback"): otherwise `accepted`, and the result follows as a result report. In
 * claim mode (no webhook) that is always `accepted` unless a repeated callback finds the result
 * recorded. A repeated delivery executes nothing. Every refusal is answered with its code and
 * audited (an unsigned or malformed one as a per-minute count, see recordRefusedCallback).
 */
export async function receiveDecisionCallback(
  db: Database,
  authorizerId: string,
  body: unknown,
): Promise<{ requestId: string } & CallbackAnswer> {
  const resolved = await authorizerCallbackContext(db, authorizerId);
  if (!resolved) throw new AppError("unknown_request", "No authorizer with this callback URL");
  const { ctx, authorizer } = resolved;
  let verified: VerifiedDecision;
  try {
    const envelope = verifyEnvelope(body, trustedKeysOf(authorizer));
    const decision = decisionSchema.parse(envelope.payload);
    verified = {
      status: "decided",
      requestId: decision.requestId,
      decision,
      envelope: envelope.envelope,
      keyId: envelope.keyId,
    };
  } catch (error) {
    const code =
      isStepAuthError(error) && error.code === "invalid_signature" ? "invalid_signature" : "malformed_request";
    // Anyone can post here: refusals are counted per authorizer and minute, not audited one by one.
    await recordRefusedCallback(db, ctx, authorizer, code);
    throw code === "invalid_signature"
      ? new AppError("invalid_signature", "The decision is not signed by a current key of this authorizer")
      : new AppError("malformed_request", "The body is not a valid decision envelope");
  }
  const outcome = await applyVerifiedDecision(db, ctx, authorizer, verified, "callback");
  const requestId = verified.requestId;
  if (outcome.outcome === "refused") throw rejectionErrors[outcome.code];
  // The delivery runs on its lease whether or not we still wait for it: if this process dies, the worker takes it over.
  const delivery =
    outcome.outcome === "accepted" && outcome.deliveryJob
      ? runJob(db, outcome.deliveryJob).then(
          () => true,
          (error: unknown) => {
            console.error("callback: webhook delivery failed", error instanceof Error ? error.message : error);
            return true;
          },
        )
      : null;
  if (outcome.request.status !== "approved") {
    // Nothing executes; the service is still told within the wait when it can be.
    if (delivery) await Promise.race([delivery, new Promise((r) => setTimeout(r, CALLBACK_RESULT_WAIT_MS))]);
    return { requestId, status: "success" };
  }
  return { requestId, ...(await executionAnswer(db, ctx, requestId, delivery)) };
}

/**
 * The result if it is recorded within the wait (marked as told to the authorizer), else `accepted`.
 * A route handler cannot learn whether its response reached the caller, so "told" means "answered
 * within CALLBACK_RESULT_WAIT_MS", which lies inside the authorizer's own timeout.
 */
async function executionAnswer(
  db: Database,
  ctx: TenantContext,
  requestId: string,
  delivery: Promise<boolean> | null,
): Promise<CallbackAnswer> {
  const deadline = Date.now() + CALLBACK_RESULT_WAIT_MS;
  let settled = delivery === null;
  void delivery?.then(() => {
    settled = true;
  });
  for (;;) {
    const execution = await getExecution(db, ctx, requestId);
    // Marked as told by callback only when the answer leaves within the wait; past it, the authorizer
    // may have stopped listening, and the result report (queued after the wait) tells it instead.
    if (execution && execution.status !== "executing" && Date.now() < deadline) {
      await markResultReported(db, ctx, requestId, "callback");
      return execution.status === "succeeded"
        ? { status: "success" }
        : { status: "error", error: execution.error ?? "execution failed" };
    }
    // Nothing more will come within the wait: no webhook running here (claim mode, a repeat), or its attempt is over.
    if (settled || Date.now() >= deadline) return { status: "accepted" };
    await Promise.race([
      delivery,
      new Promise((r) => setTimeout(r, Math.min(100, Math.max(0, deadline - Date.now())))),
    ]);
  }
}
