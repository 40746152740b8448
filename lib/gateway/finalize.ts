import type { Database } from "@/db/client";
import type { AuthorizationRequestRow, Job } from "@/db/schema";
import { finalizePendingRequest, type FinalizeInput } from "@/db/queries/request-finalize";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { config } from "@/lib/config/env";

/**
 * How long a claimed job belongs to its claimer: longer than one attempt plus one backoff (at most
 * 30 s + 10 s); a run renews it between attempts, so a whole retry policy may take longer. Work run
 * at once (inline) is leased the same way; if its process dies, the worker of any instance takes the
 * job over when the lease runs out, and the old run's writes are fenced out by the new lease token.
 * Tests shorten it.
 */
export const JOB_LEASE_SECONDS = config().GATEWAY_JOB_LEASE_SECONDS;

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
