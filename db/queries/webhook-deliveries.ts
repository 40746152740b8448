import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { jobs, webhookDeliveries, type Job, type WebhookDelivery } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { forTenant } from "./tenant-scope";

// The service webhook delivery of a final request: one row, `pending` until delivered or given up.

export interface DeliveryAttempt {
  attempt: number;
  statusCode: number | null;
  error: string | null;
  /** Set on the last attempt: delivered or failed for good. */
  final?: { delivered: boolean };
}

/**
 * Records one attempt on a delivery still `pending`, and only while `lease` (the delivery job's run)
 * still holds its lease: a run taken over by another worker, or one that lost to a second run that
 * finished first, gets null and must record nothing else (no events, no execution).
 */
export async function recordDeliveryAttempt(
  db: Database,
  ctx: TenantContext,
  requestId: string,
  attempt: DeliveryAttempt,
  lease?: Job,
) {
  const [row] = await db
    .update(webhookDeliveries)
    .set({
      attempts: attempt.attempt,
      lastStatusCode: attempt.statusCode,
      lastError: attempt.error,
      lastAttemptAt: sql`now()`,
      ...(attempt.final
        ? {
            status: attempt.final.delivered ? ("delivered" as const) : ("failed" as const),
            deliveredAt: attempt.final.delivered ? sql`now()` : null,
          }
        : {}),
    })
    .where(
      forTenant(
        ctx,
        webhookDeliveries.tenantId,
        eq(webhookDeliveries.requestId, requestId),
        eq(webhookDeliveries.status, "pending"),
        lease
          ? sql`exists (select 1 from ${jobs} j where j.id = ${lease.id} and j.lease_token = ${lease.leaseToken}::uuid)`
          : undefined,
      ),
    )
    .returning({ requestId: webhookDeliveries.requestId });
  return row ?? null;
}

export async function getWebhookDelivery(
  db: Database,
  ctx: TenantContext,
  requestId: string,
): Promise<WebhookDelivery | null> {
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(forTenant(ctx, webhookDeliveries.tenantId, eq(webhookDeliveries.requestId, requestId)));
  return row ?? null;
}
