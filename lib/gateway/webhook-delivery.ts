import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizationRequests, authorizers, executions, requestTargets, webhookDeliveries, type AuthorizationRequestRow } from "@/db/schema";
import { forTenant } from "@/db/queries/tenant-scope";
import { loadWebhookTarget } from "@/db/queries/tenant-settings";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { appendRequestEvents, type NewRequestEvent } from "./request-events";
import { postSignedWebhook } from "./signed-webhook";
import { webhookTimeoutMs } from "./webhook-timeout";

export const WEBHOOK_MAX_ATTEMPTS = 10;
const MAX_ANSWER_BYTES = 16 * 1024;

/** What the service is told. `execute` is true only for an approval it must now carry out. */
export async function webhookPayload(db: Database, ctx: TenantContext, request: AuthorizationRequestRow) {
  // The exact action and principal that were signed and approved, from the winning target's payload.
  const [target] = request.decisionAuthorizerId
    ? await db.select({ payload: requestTargets.payload }).from(requestTargets)
        .where(and(eq(requestTargets.requestId, request.requestId), eq(requestTargets.authorizerId, request.decisionAuthorizerId)))
    : [];
  const signed = target ? (JSON.parse(target.payload) as { principal: unknown; action: unknown }) : { principal: request.principal, action: request.action };
  const [authorizer] = request.decisionAuthorizerId
    ? await db.select({ name: authorizers.name }).from(authorizers).where(forTenant(ctx, authorizers.tenantId, eq(authorizers.id, request.decisionAuthorizerId)))
    : [];
  return {
    type: `authorization.${request.status}`,
    timestamp: new Date().toISOString(),
    data: {
      requestId: request.requestId,
      externalId: request.externalId,
      status: request.status,
      execute: request.status === "approved",
      failOpen: request.failOpen,
      reason: request.statusReason ?? request.decisionReason,
      decision: request.decidedAt
        ? { authorizer: authorizer?.name ?? null, keyId: request.decisionKeyId, source: request.decisionSource, reviewers: request.decisionReviewers, decidedAt: request.decidedAt }
        : null,
      principal: signed.principal,
      action: signed.action,
    },
  };
}

export type ExecutionAnswer = { status: "success" } | { status: "error"; error: string };

function parseServiceAnswer(body: string): ExecutionAnswer {
  try {
    const parsed = JSON.parse(body) as { status?: unknown; error?: unknown };
    if (parsed.status === "error") return { status: "error", error: typeof parsed.error === "string" ? parsed.error.slice(0, 2000) : "the service reported an error" };
  } catch {
    // A 2xx without a JSON body is an acknowledgement.
  }
  return { status: "success" };
}

/**
 * Delivers a request's final state to the service webhook, signed per Standard Webhooks with
 * `webhook-id` = requestId (the service's idempotency key). Returns the service's execution answer,
 * or null when it must be retried later. Never called inside a transaction (it waits on the network).
 */
export async function deliverWebhook(db: Database, ctx: TenantContext, requestId: string, attempt: number): Promise<{ done: boolean; answer: ExecutionAnswer | null }> {
  const [request] = await db.select().from(authorizationRequests).where(forTenant(ctx, authorizationRequests.tenantId, eq(authorizationRequests.requestId, requestId)));
  const [delivery] = await db.select().from(webhookDeliveries).where(forTenant(ctx, webhookDeliveries.tenantId, eq(webhookDeliveries.requestId, requestId)));
  const target = await loadWebhookTarget(db, ctx);
  if (!request || !delivery || delivery.status !== "pending") return { done: true, answer: null };
  if (!target) return finishDelivery(db, ctx, request, { ok: false, error: "the service webhook was removed", statusCode: null }, attempt, true);

  const body = JSON.stringify(await webhookPayload(db, ctx, request));
  const posted = await postSignedWebhook(target, requestId, body, { timeoutMs: webhookTimeoutMs(), maxBytes: MAX_ANSWER_BYTES });
  const result = posted.ok ? { ...posted, answer: parseServiceAnswer(posted.text) } : posted;
  return finishDelivery(db, ctx, request, result, attempt, false);
}

async function finishDelivery(
  db: Database,
  ctx: TenantContext,
  request: AuthorizationRequestRow,
  result: { ok: boolean; statusCode: number | null; error?: string; answer?: ExecutionAnswer; latencyMs?: number },
  attempt: number,
  giveUp: boolean,
): Promise<{ done: boolean; answer: ExecutionAnswer | null }> {
  const final = result.ok || giveUp || attempt >= WEBHOOK_MAX_ATTEMPTS;
  const answer: ExecutionAnswer | null = result.ok
    ? (result.answer ?? { status: "success" })
    : final ? { status: "error", error: `delivery to the service failed after ${attempt} attempts: ${result.error}` } : null;
  await db.transaction(async (tx) => {
    await tx
      .update(webhookDeliveries)
      .set({
        attempts: attempt, lastStatusCode: result.statusCode, lastError: result.ok ? null : (result.error ?? null), lastAttemptAt: sql`now()`,
        ...(final ? { status: result.ok ? ("delivered" as const) : ("failed" as const), deliveredAt: result.ok ? sql`now()` : null } : {}),
      })
      .where(forTenant(ctx, webhookDeliveries.tenantId, eq(webhookDeliveries.requestId, request.requestId), eq(webhookDeliveries.status, "pending")));
    const events: NewRequestEvent[] = [{ type: result.ok ? "webhook_delivered" : "webhook_failed", data: { attempt, statusCode: result.statusCode, error: result.error, latencyMs: result.latencyMs, final } }];
    if (answer && request.status === "approved") {
      const [execution] = await tx
        .update(executions)
        .set({ status: answer.status === "success" ? "succeeded" : "failed", error: answer.status === "error" ? answer.error : null, finishedAt: sql`now()` })
        .where(forTenant(ctx, executions.tenantId, eq(executions.requestId, request.requestId), eq(executions.status, "executing"), eq(executions.channel, "webhook")))
        .returning();
      if (execution) events.push({ type: "execution_reported", data: { channel: "webhook", ...answer } });
    }
    await appendRequestEvents(tx, ctx, request.requestId, events);
  });
  return { done: final, answer };
}

/** The execution result already recorded for a request (what a duplicate decision is answered with). */
export async function recordedExecution(db: Database, ctx: TenantContext, requestId: string) {
  const [row] = await db.select().from(executions).where(forTenant(ctx, executions.tenantId, eq(executions.requestId, requestId)));
  return row ?? null;
}
