import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizationRequests, requestTargets } from "@/db/schema";
import { forTenant } from "@/db/queries/tenant-scope";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import type { AttemptReport } from "@/lib/stepauth";
import { authorizerClientFor } from "./authorizer-client";
import { applyVerifiedDecision } from "./decisions";
import { finalizeRequest } from "./finalize";
import { runJob } from "./job-runner";
import { appendRequestEvents, attemptEvent } from "./request-events";
import { loadTenantRuntime } from "./tenant-runtime";

export type CancelOutcome = { cancelled: true } | { cancelled: false; status: string };

/**
 * Cancels a pending request: a signed cancel to every authorizer it went to, then the local
 * conditional write `pending → cancelled`. An authorizer that answers 409 with a valid decision
 * made that decision first, and it is applied normally (the SP then gets 409 with it). After
 * cancellation nothing executes: a later decision finds the request no longer pending.
 * Authorizers that could not be reached are cancelled by a background job.
 */
export async function cancelAuthorizationRequest(db: Database, ctx: TenantContext, requestId: string): Promise<CancelOutcome> {
  const [request] = await db.select().from(authorizationRequests).where(forTenant(ctx, authorizationRequests.tenantId, eq(authorizationRequests.requestId, requestId)));
  if (!request) throw new AppError("unknown_request", "No such authorization request");
  if (request.status === "cancelled") return { cancelled: true };
  if (request.status !== "pending") return { cancelled: false, status: request.status };
  await appendRequestEvents(db, ctx, requestId, [{ type: "cancel_requested" }]);

  const runtime = await loadTenantRuntime(db, ctx);
  const targets = await db.select().from(requestTargets)
    .where(forTenant(ctx, requestTargets.tenantId, eq(requestTargets.requestId, requestId), inArray(requestTargets.state, ["queued", "pending"])));
  await Promise.all(
    targets.map(async (target) => {
      const authorizer = runtime.authorizers.find((a) => a.id === target.authorizerId);
      if (!authorizer) return;
      const attempts: AttemptReport[] = [];
      try {
        const answer = await authorizerClientFor(runtime, authorizer, attempts, { maxAttempts: 2 }).cancel(requestId);
        if (answer.status === "already_decided") {
          const outcome = await applyVerifiedDecision(db, ctx, authorizer, { ...answer, status: "decided" }, "cancel");
          if (outcome.outcome === "accepted" && outcome.deliveryJob) await runJob(db, outcome.deliveryJob);
        } else {
          await db.update(requestTargets).set({ state: "cancelled", updatedAt: sql`now()` })
            .where(and(eq(requestTargets.requestId, requestId), eq(requestTargets.authorizerId, authorizer.id)));
        }
      } catch {
        // Unreachable or refused: the background cancel job (enqueued below) keeps trying.
      } finally {
        await appendRequestEvents(db, ctx, requestId, attempts.map((a) => attemptEvent(authorizer.id, a)));
      }
    }),
  );

  const result = await finalizeRequest(db, ctx, {
    requestId,
    status: "cancelled", statusReason: "cancelled_by_service", source: "cancel", condition: { kind: "none" },
    events: [{ type: "cancelled" }],
  });
  if (result) {
    if (result.deliveryJob) await runJob(db, result.deliveryJob);
    return { cancelled: true };
  }
  const [now] = await db.select({ status: authorizationRequests.status }).from(authorizationRequests)
    .where(forTenant(ctx, authorizationRequests.tenantId, eq(authorizationRequests.requestId, requestId)));
  return now?.status === "cancelled" ? { cancelled: true } : { cancelled: false, status: now?.status ?? "unknown" };
}
