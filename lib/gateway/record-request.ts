import { createHash } from "node:crypto";
import type { Database } from "@/db/client";
import type { AuthorizationRequestRow, Job } from "@/db/schema";
import { eventsJson, type NewRequestEvent } from "@/db/queries/request-events";
import { findRequestByIdempotencyKey, recordRequest } from "@/db/queries/request-lifecycle";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError, toAppError } from "@/lib/errors/app-error";
import { spendCelTime } from "@/lib/fairness/cel-time-budget";
import {
  authorizationRequestPayload,
  buildAuthorizationRequest,
  compileRoutingScript,
  DEFAULT_ROUTING_BUDGET_MS,
  evaluateRoutingScript,
  generateRequestId,
  type AuthorizationRequest,
  type AuthorizationRequestPayload,
  type RoutingOutcome,
} from "@/lib/stepauth";
import type { SubmitHint } from "./authorizer-jobs";
import { JOB_LEASE_SECONDS } from "@/lib/jobs/job-runner";
import { finalizeRequest } from "./finalize";
import type { SubmitRequestInput } from "./submit";
import { callbackUrlFor } from "@/lib/config/public-urls";
import { callbackPolicy, loadTenantRuntime, type TenantRuntime } from "./tenant-runtime";

function hashBody(input: SubmitRequestInput): string {
  return createHash("sha256").update(JSON.stringify(input)).digest("hex");
}

/** Routes the request; names become authorizer rows (routing only ever names enabled authorizers). */
function route(runtime: TenantRuntime, base: AuthorizationRequest): RoutingOutcome {
  const enabled = runtime.authorizers.filter((a) => a.enabled);
  const fallback = enabled.find((a) => a.isDefault) ?? enabled[0];
  return evaluateRoutingScript(runtime.settings.routingScript, base, {
    authorizers: enabled.map((a) => a.name),
    default: fallback?.name ?? "",
  });
}

/** Routes within the tenant's CEL allowance: a costly script waits for it (or is refused, 429). */
async function routeWithinAllowance(
  ctx: TenantContext,
  runtime: TenantRuntime,
  base: AuthorizationRequest,
): Promise<RoutingOutcome> {
  const script = runtime.settings.routingScript;
  const compiling = performance.now();
  const compiled = script ? compileRoutingScript(script) : null;
  if (!compiled?.ok || !compiled.needsTimeBudget) return route(runtime, base);
  // A script interrupted by its budget is compiled afresh: that time is the tenant's too.
  const compileMs = performance.now() - compiling;
  const settle = await spendCelTime(`routing:${ctx.tenantId}`, DEFAULT_ROUTING_BUDGET_MS);
  const started = performance.now();
  try {
    return route(runtime, base);
  } finally {
    settle(compileMs + performance.now() - started);
  }
}

/**
 * Records a new authorization request and everything it needs next, in one statement: the row,
 * its routing, a signed-for payload per target authorizer and its submit jobs (leased to the caller,
 * who runs them at once); should nobody decide in time, the expiry sweep ends it. Same Idempotency-Key
 * and body → the stored request; same key, other body → 422. Returns the request and the jobs to run now.
 */
export async function recordAuthorizationRequest(
  db: Database,
  ctx: TenantContext,
  input: SubmitRequestInput,
  idempotencyKey: string | null,
): Promise<{ request: AuthorizationRequestRow; jobsToRun: Job[]; replayed: boolean; hint?: SubmitHint }> {
  const bodyHash = hashBody(input);
  if (idempotencyKey) {
    const replay = await findIdempotentReplay(db, ctx, idempotencyKey, bodyHash);
    if (replay) return { request: replay, jobsToRun: [], replayed: true };
  }
  const runtime = await loadTenantRuntime(db, ctx);
  let base: AuthorizationRequest;
  try {
    base = buildAuthorizationRequest(
      {
        spId: "routing",
        requestId: generateRequestId(),
        expiresIn: input.expiresIn ?? runtime.settings.defaultExpiresIn,
        principal: input.principal as never,
        action: input.action as never,
      },
      callbackPolicy(),
    );
  } catch (error) {
    throw toAppError(error, "client") ?? error;
  }
  const outcome = await routeWithinAllowance(ctx, runtime, base);
  const targets =
    outcome.kind === "immediate"
      ? []
      : outcome.targets.map((name) => runtime.authorizers.find((a) => a.name === name && a.enabled));
  if (targets.some((t) => t === undefined))
    throw new AppError("no_authorizer", "No enabled authorizer is configured: add one (or route with $approve/$deny)");
  if (targets.length > 0 && runtime.signers.length === 0)
    throw new AppError("no_signing_key", "The tenant has no signing key: create one first");
  // The base request was validated once; each target's copy only has its spId and callback URL checked,
  // and the authorizer client signs it without validating it again.
  let payloads: { authorizerId: string; spId: string; payload: AuthorizationRequestPayload }[];
  try {
    payloads = targets.map((a) => ({
      authorizerId: a!.id,
      spId: a!.spId,
      payload: authorizationRequestPayload(
        base,
        { spId: a!.spId, callbackUrl: a!.pollOnly ? undefined : callbackUrlFor(runtime.settings, a!.id) },
        callbackPolicy(),
      ),
    }));
  } catch (error) {
    throw toAppError(error, "client") ?? error;
  }
  const immediate = outcome.kind === "immediate" ? outcome.decision : null;

  // Received and routed in the same instant and statement: one event (before 0017, two; older
  // requests keep their `routing_evaluated` event). Fewer rows per submit, each sealed later too.
  const events: NewRequestEvent[] = [
    {
      type: "received",
      data: {
        externalId: input.externalId ?? null,
        actionType: base.action.type,
        principalType: base.principal.type,
        expiresAt: base.expiresAt,
        ...(outcome.kind === "fallback"
          ? { targets: outcome.targets, fallback: true, reason: outcome.reason, message: outcome.message }
          : { targets: outcome.targets, fallback: false }),
      },
    },
  ];
  const recorded = await recordRequest(db, ctx, {
    requestId: base.requestId,
    externalId: input.externalId ?? null,
    idempotencyKey,
    bodyHash,
    principal: JSON.stringify(base.principal),
    action: JSON.stringify(base.action),
    principalType: base.principal.type,
    actionType: base.action.type,
    actionCategory: base.action.category ?? null,
    summary: base.action.summary,
    routingTargets: outcome.targets,
    routingFallbackReason: outcome.kind === "fallback" ? outcome.reason : null,
    routingError: outcome.kind === "fallback" ? outcome.message : null,
    expiresAt: base.expiresAt,
    events: eventsJson(events),
    targets: JSON.stringify(
      payloads.map((p) => ({ authorizer_id: p.authorizerId, sp_id: p.spId, payload: p.payload.json })),
    ),
    targetAuthorizerIds: payloads.map((p) => p.authorizerId),
    leaseSeconds: JOB_LEASE_SECONDS,
  });
  if (!recorded) {
    // Lost a race with the same Idempotency-Key: answer what the winner stored.
    const replay = await findIdempotentReplay(db, ctx, idempotencyKey!, bodyHash);
    return { request: replay!, jobsToRun: [], replayed: true };
  }
  const { request, submitJobs } = recorded;
  if (immediate) {
    // Routing decided: finalize at once (unsigned, marked so). Should this process die in between,
    // the expiry sweep ends the request as expired: no action runs without a recorded decision.
    const done = await finalizeRequest(db, ctx, {
      requestId: request.requestId,
      status: immediate,
      statusReason: `routing_${immediate === "approved" ? "approve" : "deny"}`,
      source: "routing",
      condition: { kind: "none" },
      events: [
        { type: "decided_without_authorizer", data: { decision: immediate, reason: "routing script", signed: false } },
      ],
    });
    return {
      request: done?.request ?? request,
      jobsToRun: done?.deliveryJob ? [done.deliveryJob] : [],
      replayed: false,
    };
  }
  const hint: SubmitHint = {
    runtime,
    request,
    payloads: new Map(payloads.map((p) => [p.authorizerId, p.payload])),
    written: { request, targetStates: new Map(), unknown: false },
  };
  return { request, jobsToRun: submitJobs, replayed: false, hint };
}

async function findIdempotentReplay(
  db: Database,
  ctx: TenantContext,
  idempotencyKey: string,
  bodyHash: string,
): Promise<AuthorizationRequestRow | null> {
  const existing = await findRequestByIdempotencyKey(db, ctx, idempotencyKey);
  if (!existing) return null;
  if (existing.bodyHash !== bodyHash)
    throw new AppError("idempotency_key_reused", "This Idempotency-Key was used with a different body");
  return existing;
}
