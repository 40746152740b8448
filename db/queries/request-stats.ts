import { and, desc, eq, gt, gte, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { executeRows } from "@/db/statement";
import { authorizationRequests, authorizers, requestStats, webhookDeliveries, type RequestStatus } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { hourOf, latencyBucketOf, latencyOfBucket } from "./request-stats-rollup";
import { forTenant, tenantIdOf } from "./tenant-scope";

// Aggregates for the console overview, read from the request_stats rollup (see request-stats-rollup.ts).
// Every statement is tenant-scoped: forTenant, or the checked tenant id of the context.

export type StatusCounts = Record<RequestStatus, number>;
const emptyCounts = (): StatusCounts => ({ pending: 0, approved: 0, denied: 0, expired: 0, cancelled: 0 });

const since = (hours: number) => sql`now() - make_interval(hours => ${hours})`;

/**
 * The rollup rows of requests received in the last `hours`, exactly: whole hours from request_stats,
 * and the hour the window starts in counted from the requests themselves (at most an hour of rows,
 * read by the tenant/created_at index), so the window is not rounded to the hour.
 */
function receivedSince(ctx: TenantContext, hours: number): SQL {
  const tenantId = tenantIdOf(ctx);
  const r = authorizationRequests;
  const start = since(hours);
  return sql`select bucket, status, authorizer_id, latency_bucket, requests, fail_open from ${requestStats}
      where ${requestStats.tenantId} = ${tenantId} and ${requestStats.bucket} > ${hourOf(start)}
    union all
    select ${hourOf(sql`${r.createdAt}`)}, ${r.status}, ${r.decisionAuthorizerId},
      case when ${r.decisionAuthorizerId} is not null and ${r.decidedAt} is not null then ${latencyBucketOf("created_at", "decided_at")} end,
      count(*)::int, (count(*) filter (where ${r.failOpen}))::int
    from ${r} where ${r.tenantId} = ${tenantId} and ${r.createdAt} >= ${start} and ${r.createdAt} < ${hourOf(start)} + interval '1 hour'
    group by 1, 2, 3, 4`;
}

/** Requests created in the last `hours`, counted by status (from the rollup). */
export async function countRequestsByStatus(db: Database, ctx: TenantContext, hours: number): Promise<StatusCounts> {
  const rows = await executeRows<{ status: RequestStatus; count: number }>(
    db,
    sql`
    select status, sum(requests)::int as count from (${receivedSince(ctx, hours)}) w group by status`,
  );
  const counts = emptyCounts();
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

/** Requests per UTC day and status over the last `days` days, oldest day first (days without requests omitted). */
export async function dailyRequestCounts(db: Database, ctx: TenantContext, days: number) {
  const rows = await executeRows<{ day: string; status: RequestStatus; count: number }>(
    db,
    sql`
    select to_char(bucket at time zone 'UTC', 'YYYY-MM-DD') as day, status, sum(requests)::int as count
    from (${receivedSince(ctx, days * 24)}) w group by 1, 2 having sum(requests) > 0 order by 1, 2`,
  );
  return rows.map((row) => ({ day: row.day, status: row.status, count: Number(row.count) }));
}

/**
 * Decision latency (decided_at − created_at) per authorizer, in milliseconds, over the last `hours`
 * (null for one that decided nothing): percentiles read from the rollup's latency histogram (quarter-octave buckets, so within
 * about ±9%), interpolated on the log scale inside the bucket that holds the rank.
 */
export async function decisionLatencyByAuthorizer(db: Database, ctx: TenantContext, hours: number) {
  const rows = await executeRows<{ authorizer: string; bucket: number; count: number }>(
    db,
    sql`
    select a.name as authorizer, w.latency_bucket::int as bucket, sum(w.requests)::int as count
    from (${receivedSince(ctx, hours)}) w join ${authorizers} a on a.id = w.authorizer_id and a.tenant_id = ${tenantIdOf(ctx)}
    where w.latency_bucket is not null group by 1, 2 having sum(w.requests) > 0 order by 1, 2`,
  );
  const byAuthorizer = new Map<string, { bucket: number; count: number }[]>();
  for (const row of rows) {
    const list = byAuthorizer.get(row.authorizer) ?? [];
    list.push({ bucket: Number(row.bucket), count: Number(row.count) });
    byAuthorizer.set(row.authorizer, list);
  }
  // Every authorizer is listed: one that never decided (unreachable, refused) is what an operator must see.
  const all = await db
    .select({ name: authorizers.name })
    .from(authorizers)
    .where(forTenant(ctx, authorizers.tenantId))
    .orderBy(authorizers.name);
  return all.map(({ name }) => {
    const histogram = byAuthorizer.get(name);
    if (!histogram)
      return { authorizer: name, decisions: 0, p50Ms: null as number | null, p95Ms: null as number | null };
    const decisions = histogram.reduce((sum, h) => sum + h.count, 0);
    return {
      authorizer: name,
      decisions,
      p50Ms: Math.round(percentileOf(histogram, decisions, 0.5)) as number | null,
      p95Ms: Math.round(percentileOf(histogram, decisions, 0.95)) as number | null,
    };
  });
}

function percentileOf(histogram: { bucket: number; count: number }[], total: number, p: number): number {
  const rank = p * total;
  let below = 0;
  for (const { bucket, count } of histogram) {
    if (below + count >= rank) return bucket === 0 ? 1 : latencyOfBucket(bucket, (rank - below) / count);
    below += count;
  }
  return latencyOfBucket(histogram.at(-1)?.bucket ?? 0, 1);
}

/** Approvals granted because every authorizer was unreachable and the tenant fails open; newest first. */
export async function listFailOpenExecutions(db: Database, ctx: TenantContext, hours: number, limit = 5) {
  const r = authorizationRequests;
  const where = forTenant(ctx, r.tenantId, eq(r.failOpen, true), gte(r.createdAt, since(hours)));
  const [[total], rows] = await Promise.all([
    executeRows<{ count: number }>(
      db,
      sql`select coalesce(sum(fail_open), 0)::int as count from (${receivedSince(ctx, hours)}) w`,
    ),
    db
      .select({ requestId: r.requestId, summary: r.summary, actionType: r.actionType, createdAt: r.createdAt })
      .from(r)
      .where(where)
      .orderBy(desc(r.createdAt))
      .limit(limit),
  ]);
  return { total: Number(total?.count ?? 0), recent: rows };
}

/** Service-webhook deliveries that failed for good, or are still retrying after a failed attempt. */
export async function listDeliveriesNeedingAttention(db: Database, ctx: TenantContext, limit = 10) {
  const d = webhookDeliveries;
  const needsAttention = or(eq(d.status, "failed"), and(eq(d.status, "pending"), gt(d.attempts, 1)));
  return deliveryRows(db, ctx, limit, needsAttention);
}

/** The latest service-webhook deliveries, whatever their outcome (settings screen). */
export async function listRecentDeliveries(db: Database, ctx: TenantContext, limit = 20) {
  return deliveryRows(db, ctx, limit);
}

async function deliveryRows(db: Database, ctx: TenantContext, limit: number, condition?: ReturnType<typeof or>) {
  const d = webhookDeliveries;
  const r = authorizationRequests;
  return db
    .select({
      requestId: d.requestId,
      status: d.status,
      execute: d.execute,
      attempts: d.attempts,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      lastAttemptAt: d.lastAttemptAt,
      deliveredAt: d.deliveredAt,
      createdAt: d.createdAt,
      summary: r.summary,
    })
    .from(d)
    .innerJoin(r, and(eq(r.requestId, d.requestId), eq(r.tenantId, d.tenantId)))
    .where(forTenant(ctx, d.tenantId, condition))
    .orderBy(desc(d.createdAt))
    .limit(limit);
}

/** Everything the overview shows, in one call (the console route and the page prefetch share it). */
export async function getOverviewStats(db: Database, ctx: TenantContext) {
  const [last24h, last7d, daily, latency, failOpen, deliveryFailures] = await Promise.all([
    countRequestsByStatus(db, ctx, 24),
    countRequestsByStatus(db, ctx, 24 * 7),
    dailyRequestCounts(db, ctx, 7),
    decisionLatencyByAuthorizer(db, ctx, 24 * 7),
    listFailOpenExecutions(db, ctx, 24 * 7),
    listDeliveriesNeedingAttention(db, ctx),
  ]);
  return { last24h, last7d, daily, latency, failOpen, deliveryFailures };
}
export type OverviewStats = Awaited<ReturnType<typeof getOverviewStats>>;
