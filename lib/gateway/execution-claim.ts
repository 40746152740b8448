import { createHash } from "node:crypto";
import type { Database } from "@/db/client";
import type { AuthorizationRequestRow, Execution } from "@/db/schema";
import {
  claimExecutionInWindow,
  enqueueResultReport,
  finishExecution,
  getExecution,
  insertExecution,
  loadExecutionState,
  type ExecutionResult,
} from "@/db/queries/executions";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { signedRequestText, type AuthorizationRequest } from "@/lib/stepauth";
import { appendRequestEvents } from "@/db/queries/request-events";
import { callbackPolicy } from "./tenant-runtime";

/**
 * How long a callback waits for an execution's result before answering `accepted`: 3 s, well inside
 * the authorizer's per-attempt timeout (PROTOCOL.md: 5 s by default), so the answer still finds the
 * authorizer listening. A result that comes later reaches a callback-decided authorizer by result
 * report, queued this much later (plus a second) so that a callback still waiting answers it itself.
 */
export const CALLBACK_RESULT_WAIT_MS = 3_000;
const REPORT_AFTER_CALLBACK_MS = CALLBACK_RESULT_WAIT_MS + 1_000;

/**
 * `payloadSha256`: the lowercase hex SHA-256 of the exact approved payload bytes — the bytes the
 * authorizer whose decision approved the request received and verified: the base64-decoded
 * `payload` of the gateway's submission envelope to it (signedRequestText of the request built
 * for that authorizer, kept in `request_targets.payload`). An approval no authorizer signed
 * (routing `$approve`, fail-open) hashes `JSON.stringify({principal, action})` of the request as
 * the webhook carries them.
 */
export function payloadSha256Of(
  request: Pick<AuthorizationRequestRow, "principal" | "action">,
  storedPayload: string | null,
): string {
  const bytes =
    storedPayload === null
      ? JSON.stringify({ principal: request.principal, action: request.action })
      : signedBytesOf(storedPayload);
  return createHash("sha256").update(bytes, "utf8").digest("hex");
}

// The stored request re-serialized exactly as the submission signed it (see AuthorizerClient.submit).
function signedBytesOf(storedPayload: string): string {
  try {
    return signedRequestText(JSON.parse(storedPayload) as AuthorizationRequest, callbackPolicy());
  } catch {
    return storedPayload;
  }
}

/** What an execute webhook carries so the service can claim before it runs (`data.execution`). */
export function executionTermsOf(request: AuthorizationRequestRow, signedPayload: string | null, baseUrl: string) {
  return {
    claimUrl: `${baseUrl.replace(/\/+$/, "")}/api/v1/authorization-requests/${request.requestId}/execution`,
    payloadSha256: payloadSha256Of(request, signedPayload),
    windowClosesAt: windowClosesAt(request).toISOString(),
  };
}

/** When claims stop: set at the approval; for rows without it, the default window from the decision. */
export function windowClosesAt(
  request: Pick<AuthorizationRequestRow, "executionClosesAt" | "decidedAt" | "expiresAt">,
): Date {
  if (request.executionClosesAt) return request.executionClosesAt;
  const fromDecision = (request.decidedAt ?? new Date()).getTime() + 600_000;
  return new Date(Math.min(fromDecision, request.expiresAt.getTime()));
}

/** What a refused claim or report tells the service: the execution as it stands. */
export function executionDetails(execution: Execution) {
  const status =
    execution.status === "executing" ? "executing" : execution.status === "succeeded" ? "success" : "error";
  return {
    status,
    error: execution.error,
    channel: execution.channel,
    claimedAt: execution.claimedAt,
    finishedAt: execution.finishedAt,
  };
}

const WINDOW_CLOSED_ERROR = "execution_window_closed: the execution was not claimed within its window";

/** The result report of a finished execution, queued (after the callback's wait when it came by callback). */
export function queueResultReport(
  db: Database,
  ctx: TenantContext,
  request: Pick<AuthorizationRequestRow, "requestId" | "decisionSource">,
) {
  return enqueueResultReport(
    db,
    ctx,
    request.requestId,
    request.decisionSource === "callback" ? REPORT_AFTER_CALLBACK_MS : 0,
  );
}

/**
 * `POST …/execution` with no status: claims the right to execute an approved request. The first
 * claim inserts the `executions` row (primary key = requestId: one conditional insert, whatever
 * races) and gets 200; any later claim `409 already_claimed` with the execution as it stands in
 * `details`; a `payloadSha256` other than the approved payload's `409 payload_mismatch`; a claim
 * after the execution window `410 execution_window_closed` — recorded once as a failed execution,
 * in the timeline, and reported to the authorizer as an error result.
 */
export async function claimExecution(
  db: Database,
  ctx: TenantContext,
  requestId: string,
  presented: { payloadSha256?: string } = {},
) {
  const outcome = await db.transaction(async (tx) => {
    const state = await loadExecutionState(tx, ctx, requestId);
    if (!state) throw new AppError("unknown_request", "No such authorization request");
    const { request, signedPayload } = state;
    if (request.status !== "approved")
      throw new AppError("not_approved", `The request is ${request.status}; only approved requests execute`);
    const payloadSha256 = payloadSha256Of(request, signedPayload);
    if (presented.payloadSha256 !== undefined && presented.payloadSha256 !== payloadSha256) {
      await appendRequestEvents(tx, ctx, requestId, [
        { type: "execution_refused", data: { reason: "payload_mismatch", presented: presented.payloadSha256 } },
      ]);
      return { refused: "payload_mismatch" as const };
    }
    const closesAt = windowClosesAt(request);
    if (state.execution)
      return {
        refused: state.execution.channel === "window_closed" ? ("window_closed" as const) : ("claimed" as const),
        execution: state.execution,
        closesAt,
      };
    // No decision path made this approval (finalize sets the window of every one): nothing may execute.
    if (!request.executionClosesAt) return { refused: "not_claimable" as const };
    // Open or closed is decided by the statement, on the database's clock that set the window.
    const claimed = await claimExecutionInWindow(tx, ctx, requestId);
    if (!claimed) {
      const existing = await getExecution(tx, ctx, requestId);
      if (existing)
        return {
          refused: existing.channel === "window_closed" ? ("window_closed" as const) : ("claimed" as const),
          execution: existing,
          closesAt,
        };
      const closed = await insertExecution(tx, ctx, requestId, "window_closed", {
        status: "error",
        error: WINDOW_CLOSED_ERROR,
      });
      if (closed) {
        await appendRequestEvents(tx, ctx, requestId, [
          { type: "execution_window_closed", data: { windowClosedAt: closesAt.toISOString() } },
        ]);
        await queueResultReport(tx, ctx, request);
      }
      return { refused: "window_closed" as const, closesAt };
    }
    await appendRequestEvents(tx, ctx, requestId, [{ type: "execution_claimed", data: { channel: "api" } }]);
    return {
      refused: null,
      claim: {
        requestId,
        claimed: true as const,
        payloadSha256,
        windowClosesAt: closesAt.toISOString(),
        failOpen: request.failOpen,
        principal: request.principal,
        action: request.action,
      },
    };
  });
  if (outcome.refused === "not_claimable")
    throw new AppError("not_approved", "No decision of the gateway approved this request; nothing may execute");
  if (outcome.refused === "payload_mismatch")
    throw new AppError("payload_mismatch", "payloadSha256 is not the hash of the approved payload");
  if (outcome.refused === "window_closed") {
    throw new AppError(
      "execution_window_closed",
      "The execution window of this approval has closed; nothing may execute",
      {
        details: { windowClosesAt: outcome.closesAt.toISOString() },
      },
    );
  }
  if (outcome.refused === "claimed") {
    throw new AppError("already_claimed", "This request's execution was already claimed", {
      details: outcome.execution ? { execution: executionDetails(outcome.execution) } : undefined,
    });
  }
  return outcome.claim;
}

/**
 * `POST …/execution` with `{status, error?}`: records the result of a claimed execution (claimed
 * through the API, whether the service learnt of the approval by webhook, poll or the submit answer)
 * and queues its result report. A second report is a 409 `conflict` with the recorded result.
 */
export async function reportExecution(
  db: Database,
  ctx: TenantContext,
  requestId: string,
  result: { status: "success" | "error"; error?: string },
) {
  const normalized: ExecutionResult =
    result.status === "success"
      ? { status: "success" }
      : { status: "error", error: result.error ?? "unspecified error" };
  return db.transaction(async (tx) => {
    const updated = await finishExecution(tx, ctx, requestId, normalized);
    if (!updated) {
      const existing = await getExecution(tx, ctx, requestId);
      if (!existing) throw new AppError("not_approved", "Claim the execution before reporting its result");
      if (existing.channel === "window_closed")
        throw new AppError("execution_window_closed", "The execution window closed before any claim");
      throw new AppError("conflict", "The result was already reported", {
        details: { execution: executionDetails(existing) },
      });
    }
    await appendRequestEvents(tx, ctx, requestId, [
      { type: "execution_reported", data: { channel: updated.channel, ...normalized } },
    ]);
    const state = await loadExecutionState(tx, ctx, requestId);
    if (state) await queueResultReport(tx, ctx, state.request);
    return { requestId, status: updated.status, error: updated.error };
  });
}
