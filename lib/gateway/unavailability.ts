import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizationRequests, requestTargets, type Job } from "@/db/schema";
import { forTenant } from "@/db/queries/tenant-scope";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { afterFinalStatus } from "./finalize";
import type { TenantRuntime } from "./tenant-runtime";

/**
 * Called after a target failed for good. When every target has failed, the tenant's
 * unavailability policy decides: fail-closed denies (`authorizer_unavailable`); fail-open, only when
 * every failure was unreachability (never a refusal such as a bad signature), approves and records
 * that the action ran without authorizer confirmation, with the attempts and the full request.
 */
export async function settleIfAllTargetsFailed(db: Database, ctx: TenantContext, runtime: TenantRuntime, requestId: string): Promise<Job | null> {
  return db.transaction(async (tx) => {
    const [request] = await tx
      .select()
      .from(authorizationRequests)
      .where(forTenant(ctx, authorizationRequests.tenantId, eq(authorizationRequests.requestId, requestId), eq(authorizationRequests.status, "pending")))
      .for("update");
    if (!request) return null;
    const targets = await tx.select().from(requestTargets).where(eq(requestTargets.requestId, requestId));
    if (targets.length === 0 || targets.some((t) => t.state !== "failed")) return null;
    const allUnreachable = targets.every((t) => t.lastError?.startsWith("unreachable:"));
    const failOpen = allUnreachable && runtime.settings.unavailabilityPolicy === "fail_open";
    const reason = failOpen ? "fail_open" : allUnreachable ? "authorizer_unavailable" : "authorizer_rejected";
    const [settled] = await tx
      .update(authorizationRequests)
      .set({ status: failOpen ? "approved" : "denied", statusReason: reason, failOpen, decidedAt: sql`now()`, decisionSource: "unavailability" })
      .where(eq(authorizationRequests.requestId, requestId))
      .returning();
    if (!settled) return null;
    const failures = targets.map((t) => ({ authorizerId: t.authorizerId, error: t.lastError }));
    const event = failOpen
      ? { type: "fail_open_executed" as const, data: { reason, failures, requests: targets.map((t) => ({ authorizerId: t.authorizerId, payload: JSON.parse(t.payload) })) } }
      : { type: "decided_without_authorizer" as const, data: { decision: "denied", reason, failures } };
    return afterFinalStatus(tx, ctx, settled, { events: [event] });
  });
}
