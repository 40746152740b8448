import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizationRequests } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { forTenant } from "./tenant-scope";

// The overview's "pending work" and "needs attention" reads. A request lives 7 days at most (the
// submit schema's expiresIn bound), so pending ones are searched among the last 7 days plus an hour:
// the (tenant_id, created_at) index bounds the scan whatever the table's size.

const MAX_REQUEST_LIFETIME_HOURS = 7 * 24 + 1;
/** A pending request expiring within this many minutes is "about to expire". */
export const EXPIRING_SOON_MINUTES = 15;

const recentPending = (ctx: TenantContext) => {
  const r = authorizationRequests;
  return forTenant(
    ctx,
    r.tenantId,
    eq(r.status, "pending"),
    gte(r.createdAt, sql`now() - make_interval(hours => ${MAX_REQUEST_LIFETIME_HOURS})`),
  );
};

/** Pending requests, oldest first, with the total; `expiringSoon` counts those ending within 15 minutes. */
export async function listPendingRequests(db: Database, ctx: TenantContext, limit = 10) {
  const r = authorizationRequests;
  const soon = sql`now() + make_interval(mins => ${EXPIRING_SOON_MINUTES})`;
  const [rows, [counts]] = await Promise.all([
    db
      .select({
        requestId: r.requestId,
        summary: r.summary,
        actionType: r.actionType,
        principalType: r.principalType,
        createdAt: r.createdAt,
        expiresAt: r.expiresAt,
      })
      .from(r)
      .where(recentPending(ctx))
      .orderBy(asc(r.createdAt), asc(r.requestId))
      .limit(limit),
    db
      .select({
        total: sql<number>`count(*)::int`,
        expiringSoon: sql<number>`(count(*) filter (where ${r.expiresAt} < ${soon}))::int`,
      })
      .from(r)
      .where(recentPending(ctx)),
  ]);
  return { data: rows, total: Number(counts?.total ?? 0), expiringSoon: Number(counts?.expiringSoon ?? 0) };
}

/** Pending requests that expire within 15 minutes, soonest first. */
export async function listRequestsAboutToExpire(db: Database, ctx: TenantContext, limit = 5) {
  const r = authorizationRequests;
  return db
    .select({ requestId: r.requestId, summary: r.summary, expiresAt: r.expiresAt })
    .from(r)
    .where(and(recentPending(ctx), lt(r.expiresAt, sql`now() + make_interval(mins => ${EXPIRING_SOON_MINUTES})`)))
    .orderBy(asc(r.expiresAt))
    .limit(limit);
}
