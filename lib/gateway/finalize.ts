import type { Database } from "@/db/client";
import type { AuthorizationRequestRow, Job } from "@/db/schema";
import { finalizePendingRequest, type FinalizeInput } from "@/db/queries/request-finalize";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { JOB_LEASE_SECONDS } from "@/lib/jobs/job-runner";

/**
 * A delivery's lease always outlasts one webhook call (10 s timeout), whatever the setting: a
 * second instance must never start delivering while the first may still be mid-call.
 */
export const DELIVERY_LEASE_SECONDS = Math.max(JOB_LEASE_SECONDS, 20);

/**
 * Moves a pending request to its final status, once, and does everything that follows in one
 * statement (see db/queries/request-finalize.ts): the first writer wins, everyone else gets null.
 * A service webhook's delivery job is leased to the caller, who runs it at once.
 */
export function finalizeRequest(
  db: Database,
  ctx: TenantContext,
  input: FinalizeInput,
): Promise<{ request: AuthorizationRequestRow; deliveryJob: Job | null } | null> {
  return finalizePendingRequest(db, ctx, input, DELIVERY_LEASE_SECONDS);
}
