import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { authorizationRequests, jobs, requestTargets, type AuthorizationRequestRow, type Job } from "@/db/schema";
import { forTenant, tenantIdOf } from "@/db/queries/tenant-scope";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { buildAuthorizationRequest, evaluateRoutingScript, generateRequestId, isStepAuthError, type AuthorizationRequest, type RoutingOutcome } from "@/lib/stepauth";
import { webhookConfigured, type SubmitHint } from "./authorizer-jobs";
import { afterFinalStatus, JOB_LEASE_SECONDS } from "./finalize";
import { appendRequestEvents } from "./request-events";
import { callbackPolicy, callbackUrlFor, loadTenantRuntime, type TenantRuntime } from "./tenant-runtime";

export const submitRequestSchema = z
  .object({
    // Principal and action are validated by the protocol core, which also caps the operator chain.
    principal: z.unknown(),
    action: z.unknown(),
    expiresIn: z.number().int().min(30).max(7 * 24 * 3600).optional(),
    externalId: z.string().min(1).max(200).optional(),
  })
  .strict();
export type SubmitRequestInput = z.infer<typeof submitRequestSchema>;

export const idempotencyKeySchema = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, "printable ASCII");

export function hashBody(input: SubmitRequestInput): string {
  return createHash("sha256").update(JSON.stringify(input)).digest("hex");
}

function buildFor(base: AuthorizationRequest, spId: string, callbackUrl: string | undefined): AuthorizationRequest {
  const { callbackUrl: _omit, ...rest } = base;
  return buildAuthorizationRequest(
    { spId, requestId: base.requestId, callbackUrl, expiresIn: (Date.parse(base.expiresAt) - Date.parse(base.timestamp)) / 1000, principal: rest.principal, action: rest.action },
    { ...callbackPolicy(), now: () => new Date(base.timestamp) },
  );
}

function toAppError(error: unknown): AppError {
  if (!isStepAuthError(error)) throw error;
  if (error.code === "operator_depth_exceeded") return new AppError("operator_depth_exceeded", error.message);
  if (error.code === "invalid_callback_url") return new AppError("conflict", "The gateway's public URL cannot be used as a callback URL: set publicBaseUrl to an https URL");
  return new AppError("validation_failed", error.message, { details: (error as { details?: unknown }).details });
}

/** Routes the request; names become authorizer rows (routing only ever names enabled authorizers). */
function route(runtime: TenantRuntime, base: AuthorizationRequest): RoutingOutcome {
  const enabled = runtime.authorizers.filter((a) => a.enabled);
  const fallback = enabled.find((a) => a.isDefault) ?? enabled[0];
  return evaluateRoutingScript(runtime.settings.routingScript, base, { authorizers: enabled.map((a) => a.name), default: fallback?.name ?? "" });
}

/**
 * Records a new authorization request and everything it needs next, in one transaction: the row,
 * its routing, a signed-for payload per target authorizer, its submit jobs (leased to the caller,
 * who runs them at once) and its expiry job. Same Idempotency-Key and body → the stored request;
 * same key, other body → 422. Returns the request and the jobs to run now.
 */
export async function recordAuthorizationRequest(
  db: Database,
  ctx: TenantContext,
  input: SubmitRequestInput,
  idempotencyKey: string | null,
): Promise<{ request: AuthorizationRequestRow; jobsToRun: Job[]; replayed: boolean; hint?: SubmitHint }> {
  const tenantId = tenantIdOf(ctx);
  const bodyHash = hashBody(input);
  if (idempotencyKey) {
    const replay = await findIdempotentReplay(db, ctx, idempotencyKey, bodyHash);
    if (replay) return { request: replay, jobsToRun: [], replayed: true };
  }
  const runtime = await loadTenantRuntime(db, ctx);
  let base: AuthorizationRequest;
  try {
    base = buildAuthorizationRequest(
      { spId: "routing", requestId: generateRequestId(), expiresIn: input.expiresIn ?? runtime.settings.defaultExpiresIn, principal: input.principal as never, action: input.action as never },
      callbackPolicy(),
    );
  } catch (error) {
    throw toAppError(error);
  }
  const outcome = route(runtime, base);
  const targets = outcome.kind === "immediate" ? [] : outcome.targets.map((name) => runtime.authorizers.find((a) => a.name === name && a.enabled));
  if (targets.some((t) => t === undefined)) throw new AppError("no_authorizer", "No enabled authorizer is configured: add one (or route with $approve/$deny)");
  if (targets.length > 0 && runtime.signers.length === 0) throw new AppError("no_signing_key", "The tenant has no signing key: create one first");
  let payloads: { authorizerId: string; spId: string; payload: string }[];
  try {
    payloads = targets.map((a) => ({ authorizerId: a!.id, spId: a!.spId, payload: JSON.stringify(buildFor(base, a!.spId, a!.pollOnly ? undefined : callbackUrlFor(runtime.settings, a!.id))) }));
  } catch (error) {
    throw toAppError(error);
  }
  const immediate = outcome.kind === "immediate" ? outcome.decision : null;

  return db.transaction(async (tx) => {
    const [request] = await tx
      .insert(authorizationRequests)
      .values({
        requestId: base.requestId, tenantId, externalId: input.externalId ?? null, idempotencyKey, bodyHash,
        status: immediate ?? "pending", statusReason: immediate ? `routing_${immediate === "approved" ? "approve" : "deny"}` : null,
        decidedAt: immediate ? sql`now()` : null, decisionSource: immediate ? "routing" : null,
        principal: base.principal, action: base.action, principalType: base.principal.type, actionType: base.action.type,
        actionCategory: base.action.category ?? null, summary: base.action.summary,
        routingTargets: outcome.targets, routingFallbackReason: outcome.kind === "fallback" ? outcome.reason : null,
        routingError: outcome.kind === "fallback" ? outcome.message : null, expiresAt: new Date(base.expiresAt),
      })
      .onConflictDoNothing({ target: [authorizationRequests.tenantId, authorizationRequests.idempotencyKey] })
      .returning();
    if (!request) {
      // Lost a race with the same Idempotency-Key: answer what the winner stored.
      const replay = await findIdempotentReplay(tx, ctx, idempotencyKey!, bodyHash);
      return { request: replay!, jobsToRun: [], replayed: true };
    }
    await appendRequestEvents(tx, ctx, request.requestId, [
      { type: "received", data: { externalId: request.externalId, actionType: request.actionType, principalType: request.principalType, expiresAt: base.expiresAt } },
      { type: "routing_evaluated", data: outcome.kind === "fallback" ? { targets: outcome.targets, fallback: true, reason: outcome.reason, message: outcome.message } : { targets: outcome.targets, fallback: false } },
    ]);
    if (immediate) {
      const delivery = await afterFinalStatus(tx, ctx, request, {
        webhookConfigured: webhookConfigured(runtime),
        events: [{ type: "decided_without_authorizer", data: { decision: immediate, reason: "routing script", signed: false } }],
      });
      return { request, jobsToRun: delivery ? [delivery] : [], replayed: false };
    }
    await tx.insert(requestTargets).values(payloads.map((p) => ({ ...p, requestId: request.requestId, tenantId })));
    // Submit jobs come leased to this caller, who runs them at once; the expiry job waits for its time.
    const lease = sql`now() + make_interval(secs => ${JOB_LEASE_SECONDS})`;
    const created = await tx
      .insert(jobs)
      .values([
        ...payloads.map((p) => ({ tenantId, kind: "submit" as const, requestId: request.requestId, target: p.authorizerId, lockedUntil: lease, attempts: 1 })),
        { tenantId, kind: "expire" as const, requestId: request.requestId, runAt: request.expiresAt },
      ])
      .returning();
    const hint: SubmitHint = { runtime, request, payloads: new Map(payloads.map((p) => [p.authorizerId, p.payload])) };
    return { request, jobsToRun: created.filter((j) => j.kind === "submit"), replayed: false, hint };
  });
}

async function findIdempotentReplay(db: Database, ctx: TenantContext, idempotencyKey: string, bodyHash: string): Promise<AuthorizationRequestRow | null> {
  const [existing] = await db
    .select()
    .from(authorizationRequests)
    .where(forTenant(ctx, authorizationRequests.tenantId, and(eq(authorizationRequests.idempotencyKey, idempotencyKey))));
  if (!existing) return null;
  if (existing.bodyHash !== bodyHash) throw new AppError("idempotency_key_reused", "This Idempotency-Key was used with a different body");
  return existing;
}
