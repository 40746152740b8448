import type { Database } from "@/db/client";
import { recordRefusedCallback } from "@/db/queries/audit";
import { authorizerCallbackContext } from "@/lib/auth/system-context";
import { AppError } from "@/lib/errors/app-error";
import { decisionSchema, isStepAuthError, verifyEnvelope, type DecisionRejection, type VerifiedDecision } from "@/lib/stepauth";
import { applyVerifiedDecision } from "./decisions";
import { runJob } from "./job-runner";
import { trustedKeysOf } from "./tenant-runtime";
import { recordedExecution, type ExecutionAnswer } from "./webhook-delivery";

const rejectionErrors: Record<DecisionRejection, AppError> = {
  unknown_request: new AppError("unknown_request", "This requestId was not sent to this authorizer"),
  request_mismatch: new AppError("unknown_request", "This requestId was not sent to this authorizer"),
  sp_mismatch: new AppError("sp_mismatch", "The decision's spId is not this SP's identity at this authorizer"),
  authorizer_disabled: new AppError("authorizer_disabled", "This authorizer is disabled: its decisions no longer count"),
  stale_timestamp: new AppError("malformed_request", "The decision's timestamp lies outside [request timestamp - 5 min, now + 5 min]"),
  cancelled: new AppError("request_cancelled", "The request was cancelled; nothing will execute"),
  already_decided: new AppError("already_decided", "Another decision already decided this request"),
  expired: new AppError("request_expired", "The request expired before this decision arrived"),
};

const EXECUTION_WAIT_MS = 5_000;

/**
 * `POST /api/stepauth/callback/{authorizerId}`: verifies the decision envelope with that
 * authorizer's keys, applies it (first valid decision wins), executes an approval through the
 * service webhook, and answers the execution result. A repeated delivery answers the same result
 * and executes nothing. Every refusal is answered with its code and audited (an unsigned or
 * malformed one as a per-minute count, see recordRefusedCallback).
 */
export async function receiveDecisionCallback(db: Database, authorizerId: string, body: unknown): Promise<{ requestId: string } & ExecutionAnswer> {
  const resolved = await authorizerCallbackContext(db, authorizerId);
  if (!resolved) throw new AppError("unknown_request", "No authorizer with this callback URL");
  const { ctx, authorizer } = resolved;
  let verified: VerifiedDecision;
  try {
    const envelope = verifyEnvelope(body, trustedKeysOf(authorizer));
    const decision = decisionSchema.parse(envelope.payload);
    verified = { status: "decided", requestId: decision.requestId, decision, envelope: envelope.envelope, keyId: envelope.keyId };
  } catch (error) {
    const code = isStepAuthError(error) && error.code === "invalid_signature" ? "invalid_signature" : "malformed_request";
    // Anyone can post here: refusals are counted per authorizer and minute, not audited one by one.
    await recordRefusedCallback(db, ctx, authorizer, code);
    throw code === "invalid_signature"
      ? new AppError("invalid_signature", "The decision is not signed by a current key of this authorizer")
      : new AppError("malformed_request", "The body is not a valid decision envelope");
  }
  const outcome = await applyVerifiedDecision(db, ctx, authorizer, verified, "callback");
  const requestId = verified.requestId;
  if (outcome.outcome === "refused") throw rejectionErrors[outcome.code];
  if (outcome.outcome === "accepted" && outcome.deliveryJob) await runJob(db, outcome.deliveryJob);
  if (outcome.request.status !== "approved") return { requestId, status: "success" };
  return { requestId, ...(await executionAnswer(db, ctx, requestId)) };
}

/** The recorded result; a duplicate that arrives mid-execution waits briefly for it. */
async function executionAnswer(db: Database, ctx: Parameters<typeof recordedExecution>[1], requestId: string): Promise<ExecutionAnswer> {
  const deadline = Date.now() + EXECUTION_WAIT_MS;
  for (;;) {
    const execution = await recordedExecution(db, ctx, requestId);
    // No webhook: the service claims the execution through the API; the decision is acknowledged.
    if (!execution) return { status: "success" };
    if (execution.status === "succeeded") return { status: "success" };
    if (execution.status === "failed") return { status: "error", error: execution.error ?? "execution failed" };
    if (Date.now() > deadline) return { status: "error", error: "execution is still in progress; the result will be in the gateway's audit trail" };
    await new Promise((r) => setTimeout(r, 100));
  }
}
