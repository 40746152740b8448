import type { Database } from "@/db/client";
import type { Job } from "@/db/schema";
import type { NewRequestEvent } from "@/db/queries/request-events";
import { listRequestTargets } from "@/db/queries/request-targets";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { finalizeRequest } from "./finalize";
import type { TenantRuntime } from "./tenant-runtime";

/**
 * Called after a target failed for good. When every target has failed, the tenant's
 * unavailability policy decides: fail-closed denies (`authorizer_unavailable`); fail-open, only when
 * every failure was unreachability (never a refusal such as a bad signature), approves and records
 * that the action ran without authorizer confirmation, with the attempts and the full request.
 * Targets fail only as refusals or unreachability: a rate-limited one stays queued, so it never settles here.
 * The settlement is made only while the submit job run whose target failed last still holds its
 * lease (`leaseToken`).
 */
export async function settleIfAllTargetsFailed(
  db: Database,
  ctx: TenantContext,
  runtime: TenantRuntime,
  requestId: string,
  leaseToken: string,
): Promise<{ allFailed: boolean; deliveryJob: Job | null }> {
  const targets = await listRequestTargets(db, ctx, requestId);
  if (targets.length === 0 || targets.some((t) => t.state !== "failed")) return { allFailed: false, deliveryJob: null };
  const allUnreachable = targets.every((t) => t.lastError?.startsWith("unreachable:"));
  const failOpen = allUnreachable && runtime.settings.unavailabilityPolicy === "fail_open";
  const reason = failOpen ? "fail_open" : allUnreachable ? "authorizer_unavailable" : "authorizer_rejected";
  const failures = targets.map((t) => ({ authorizerId: t.authorizerId, error: t.lastError }));
  const event: NewRequestEvent = failOpen
    ? {
        type: "fail_open_executed",
        data: {
          reason,
          failures,
          requests: targets.map((t) => ({ authorizerId: t.authorizerId, payload: JSON.parse(t.payload) })),
        },
      }
    : { type: "decided_without_authorizer", data: { decision: "denied", reason, failures } };
  // Conditional on every target still being failed, so a decision that raced in wins instead, and on the lease.
  const settled = await finalizeRequest(db, ctx, {
    requestId,
    status: failOpen ? "approved" : "denied",
    statusReason: reason,
    failOpen,
    source: "unavailability",
    condition: { kind: "all_targets_failed", leaseToken },
    events: [event],
  });
  // Whether or not this run still held its lease, every target failed: the unavailability policy is
  // the only thing that settles such a request (never the kill switch's denial).
  return { allFailed: true, deliveryJob: settled?.deliveryJob ?? null };
}
