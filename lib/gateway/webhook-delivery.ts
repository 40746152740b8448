import type { Database } from "@/db/client";
import type { AuthorizationRequestRow, Job } from "@/db/schema";
import { insertExecution, loadExecutionState, type ExecutionResult } from "@/db/queries/executions";
import { appendRequestEvents, type NewRequestEvent } from "@/db/queries/request-events";
import { getRequest } from "@/db/queries/request-lifecycle";
import { getAuthorizerName } from "@/db/queries/runtime-authorizers";
import { getTenantSettings, loadWebhookTarget } from "@/db/queries/tenant-settings";
import { getWebhookDelivery, recordDeliveryAttempt } from "@/db/queries/webhook-deliveries";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { executionTermsOf, queueResultReport, windowClosesAt } from "./execution-claim";
import { gatewayBaseUrl } from "@/lib/config/public-urls";
import { postSignedWebhook } from "./signed-webhook";
import { webhookTimeoutMs } from "./webhook-timeout";

export const WEBHOOK_MAX_ATTEMPTS = 10;
const MAX_ANSWER_BYTES = 16 * 1024;

/**
 * What the service is told. `execute` is true only for an approval whose execution window is still
 * open; `execution` then says how to claim it before acting (see execution-claim.ts): the claim URL,
 * the SHA-256 of the exact approved payload, and when the window closes.
 */
export async function webhookPayload(db: Database, ctx: TenantContext, request: AuthorizationRequestRow) {
  // The exact action and principal that were signed and approved, from the winning target's payload.
  const state = await loadExecutionState(db, ctx, request.requestId);
  const signedPayload = state?.signedPayload ?? null;
  const signed = signedPayload
    ? (JSON.parse(signedPayload) as { principal: unknown; action: unknown })
    : { principal: request.principal, action: request.action };
  const authorizerName = request.decisionAuthorizerId
    ? await getAuthorizerName(db, ctx, request.decisionAuthorizerId)
    : null;
  const approved = request.status === "approved";
  const terms = approved
    ? executionTermsOf(request, signedPayload, gatewayBaseUrl(await getTenantSettings(db, ctx)))
    : null;
  return {
    type: `authorization.${request.status}`,
    timestamp: new Date().toISOString(),
    data: {
      requestId: request.requestId,
      externalId: request.externalId,
      status: request.status,
      execute: approved && Date.now() < windowClosesAt(request).getTime(),
      failOpen: request.failOpen,
      reason: request.statusReason ?? request.decisionReason,
      decision: request.decidedAt
        ? {
            authorizer: authorizerName,
            keyId: request.decisionKeyId,
            source: request.decisionSource,
            reviewers: request.decisionReviewers,
            decidedAt: request.decidedAt,
          }
        : null,
      principal: signed.principal,
      action: signed.action,
      execution: terms,
    },
  };
}

/** The service's answer: a result, or `accepted` (it claimed, or will claim, and reports the result itself). */
export type ExecutionAnswer = { status: "success" } | { status: "error"; error: string } | { status: "accepted" };

function parseServiceAnswer(body: string): ExecutionAnswer {
  try {
    const parsed = JSON.parse(body) as { status?: unknown; error?: unknown };
    if (parsed.status === "accepted") return { status: "accepted" };
    if (parsed.status === "error")
      return {
        status: "error",
        error: typeof parsed.error === "string" ? parsed.error.slice(0, 2000) : "the service reported an error",
      };
  } catch {
    // A 2xx without a JSON body is an acknowledgement.
  }
  return { status: "success" };
}

/**
 * Delivers a request's final state to the service webhook, signed per Standard Webhooks with
 * `webhook-id` = requestId (the service's idempotency key). Returns the service's execution answer,
 * or null when it must be retried later. Never called inside a transaction (it waits on the network).
 * `lease`: the delivery job's run; its outcome is recorded only while it still holds the lease.
 */
export async function deliverWebhook(
  db: Database,
  ctx: TenantContext,
  requestId: string,
  attempt: number,
  lease?: Job,
): Promise<{ done: boolean; answer: ExecutionAnswer | null }> {
  const request = await getRequest(db, ctx, requestId);
  const delivery = await getWebhookDelivery(db, ctx, requestId);
  const target = await loadWebhookTarget(db, ctx);
  if (!request || !delivery || delivery.status !== "pending") return { done: true, answer: null };
  // Nothing was sent, so nothing is recorded as executed: the service may still claim through the API.
  if (!target)
    return finishDelivery(
      db,
      ctx,
      request,
      { ok: false, error: "the service webhook was removed", statusCode: null, execute: false },
      attempt,
      true,
      lease,
    );

  const payload = await webhookPayload(db, ctx, request);
  const posted = await postSignedWebhook(target, requestId, JSON.stringify(payload), {
    timeoutMs: webhookTimeoutMs(),
    maxBytes: MAX_ANSWER_BYTES,
  });
  const result = posted.ok ? { ...posted, answer: parseServiceAnswer(posted.text) } : posted;
  return finishDelivery(db, ctx, request, { ...result, execute: payload.data.execute }, attempt, false, lease);
}

async function finishDelivery(
  db: Database,
  ctx: TenantContext,
  request: AuthorizationRequestRow,
  result: {
    ok: boolean;
    statusCode: number | null;
    error?: string;
    answer?: ExecutionAnswer;
    latencyMs?: number;
    execute?: boolean;
  },
  attempt: number,
  giveUp: boolean,
  lease: Job | undefined,
): Promise<{ done: boolean; answer: ExecutionAnswer | null }> {
  const final = result.ok || giveUp || attempt >= WEBHOOK_MAX_ATTEMPTS;
  const answer: ExecutionAnswer | null = result.ok
    ? (result.answer ?? { status: "success" })
    : final
      ? { status: "error", error: `delivery to the service failed after ${attempt} attempts: ${result.error}` }
      : null;
  const recorded = await db.transaction(async (tx) => {
    const attemptRow = await recordDeliveryAttempt(
      tx,
      ctx,
      request.requestId,
      {
        attempt,
        statusCode: result.statusCode,
        error: result.ok ? null : (result.error ?? null),
        final: final ? { delivered: result.ok } : undefined,
      },
      lease,
    );
    // Another run recorded this delivery (or took the job over): its answer is that run's to record.
    if (!attemptRow) return false;
    const events: NewRequestEvent[] = [
      {
        type: result.ok ? "webhook_delivered" : "webhook_failed",
        data: { attempt, statusCode: result.statusCode, error: result.error, latencyMs: result.latencyMs, final },
      },
    ];
    // Only an answer to an `execute: true` webhook says anything about an execution.
    if (answer && answer.status !== "accepted" && request.status === "approved" && (result.execute ?? true)) {
      events.push(...(await recordWebhookAnswer(tx, ctx, request, answer)));
    }
    await appendRequestEvents(tx, ctx, request.requestId, events);
    return true;
  });
  return recorded ? { done: final, answer } : { done: true, answer: null };
}

/**
 * A webhook answer `{status: "success" | "error"}` (or a bare 2xx: success) from a legacy service
 * that never claimed records the execution's result: it claims implicitly with its answer (the same
 * one conditional insert), so nothing can claim and run it afterwards. A claim made through the API
 * (e.g. by lib/client's executeApproved) is never finished by a webhook answer: only its claimer knows
 * when it ran, and its own report finishes it. An execution already claimed or finished stays as it
 * is. A delivery that finally failed records an error only when nothing was claimed.
 */
async function recordWebhookAnswer(
  db: Database,
  ctx: TenantContext,
  request: AuthorizationRequestRow,
  answer: ExecutionResult,
): Promise<NewRequestEvent[]> {
  const implicit = await insertExecution(db, ctx, request.requestId, "webhook", answer);
  if (!implicit) return [];
  await queueResultReport(db, ctx, request);
  return [{ type: "execution_reported", data: { channel: "webhook", implicitClaim: true, ...answer } }];
}
