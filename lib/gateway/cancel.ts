import type { Database } from "@/db/client";
import { getRequestStatus } from "@/db/queries/authorization-requests";
import { claimRequestJobs } from "@/db/queries/jobs";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { JOB_LEASE_SECONDS } from "@/lib/jobs/job-runner";
import { DELIVERY_LEASE_SECONDS, finalizeRequest } from "./finalize";
import { runJob } from "./jobs";

export type CancelOutcome = { cancelled: true } | { cancelled: false; status: string };

/**
 * Cancels a pending request: cancel first, then tell. The local conditional write
 * `pending → cancelled` comes before any authorizer is called, and in the same statement queues a
 * signed cancel for every authorizer still holding the request (durable jobs, run here at once).
 * From that write on, every decision is refused for execution and kept in the timeline, including
 * one an authorizer answers the cancel with (409): it changes nothing. A decision that won before
 * the write makes the cancel answer with the request's final status instead.
 */
export async function cancelAuthorizationRequest(
  db: Database,
  ctx: TenantContext,
  requestId: string,
): Promise<CancelOutcome> {
  const status = await getRequestStatus(db, ctx, requestId);
  if (!status) throw new AppError("unknown_request", "No such authorization request");
  if (status === "cancelled") return { cancelled: true };
  if (status !== "pending") return { cancelled: false, status };

  const result = await finalizeRequest(db, ctx, {
    requestId,
    status: "cancelled",
    statusReason: "cancelled_by_service",
    source: "cancel",
    condition: { kind: "none" },
    events: [{ type: "cancel_requested" }, { type: "cancelled" }],
  });
  if (!result) {
    const now = await getRequestStatus(db, ctx, requestId);
    return now === "cancelled" ? { cancelled: true } : { cancelled: false, status: now ?? "unknown" };
  }
  if (result.deliveryJob) await runJob(db, result.deliveryJob);
  // Tell the authorizers now; a cancel that cannot get through stays queued for the worker.
  const cancels = await claimRequestJobs(db, ctx, requestId, ["cancel"], 64, {
    seconds: JOB_LEASE_SECONDS,
    byKind: { deliver: DELIVERY_LEASE_SECONDS },
  });
  await Promise.all(cancels.map((job) => runJob(db, job)));
  return { cancelled: true };
}
