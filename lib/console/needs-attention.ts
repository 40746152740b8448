import type { Database } from "@/db/client";
import { listRequestsAboutToExpire } from "@/db/queries/attention";
import { getFailOpenStatus } from "@/db/queries/fail-open-status";
import { listDeliveriesNeedingAttention } from "@/db/queries/request-stats";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { listConsoleAuthorizers } from "./authorizer-views";

/**
 * The overview's "needs attention" panel in one read: enabled authorizers that are failing or
 * degraded, service-webhook deliveries that fail, pending requests about to expire, and fail-open.
 */
export async function getNeedsAttention(db: Database, ctx: TenantContext) {
  const [authorizers, deliveries, expiring, failOpen] = await Promise.all([
    listConsoleAuthorizers(db, ctx),
    listDeliveriesNeedingAttention(db, ctx, 5),
    listRequestsAboutToExpire(db, ctx),
    getFailOpenStatus(db, ctx),
  ]);
  const unwell = authorizers
    .filter((a) => a.enabled && (a.health.state === "failing" || a.health.state === "degraded"))
    .map((a) => ({
      name: a.name,
      isDefault: a.isDefault,
      state: a.health.state,
      lastFailureAt: a.health.lastFailureAt,
      lastFailureCause: a.health.lastFailureCause,
      errorRate: a.health.lastHour.errorRate,
    }));
  return { authorizers: unwell, deliveries, expiring, failOpen };
}
export type NeedsAttention = Awaited<ReturnType<typeof getNeedsAttention>>;
