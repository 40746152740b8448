import { and, desc, eq, gt, gte, isNotNull, or, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizationRequests, authorizers, webhookDeliveries, type RequestStatus } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { forTenant } from "./tenant-scope";

// Aggregates for the console overview. Every statement is tenant-scoped through forTenant.

export type StatusCounts = Record<RequestStatus, number>;
const emptyCounts = (): StatusCounts => ({ pending: 0, approved: 0, denied: 0, expired: 0, cancelled: 0 });

const since = (hours: number) => sql`now() - make_interval(hours => ${hours})`;

/** Requests created in the last `hours`, counted by status. */
export async function countRequestsByStatus(db: Database, ctx: TenantContext, hours: number): Promise<StatusCounts> {
  const r = authorizationRequests;
  const rows = await db
    .select({ status: r.status, count: sql<number>`count(*)::int` })
    .from(r)
    .where(forTenant(ctx, r.tenantId, gte(r.createdAt, since(hours))))
    .groupBy(r.status);
  const counts = emptyCounts();
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

/** Requests per UTC day and status over the last `days` days, oldest day first (days without requests omitted). */
export async function dailyRequestCounts(db: Database, ctx: TenantContext, days: number) {
  const r = authorizationRequests;
  const day = sql<string>`to_char(date_trunc('day', ${r.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const rows = await db
    .select({ day, status: r.status, count: sql<number>`count(*)::int` })
    .from(r)
    .where(forTenant(ctx, r.tenantId, gte(r.createdAt, since(days * 24))))
    .groupBy(day, r.status)
    .orderBy(day);
  return rows.map((row) => ({ day: row.day, status: row.status, count: Number(row.count) }));
}

/** Decision latency (decided_at − created_at) per authorizer, in milliseconds, over the last `hours`; null when it decided nothing. */
export async function decisionLatencyByAuthorizer(db: Database, ctx: TenantContext, hours: number) {
  const r = authorizationRequests;
  const ms = sql`extract(epoch from (${r.decidedAt} - ${r.createdAt})) * 1000`;
  const rows = await db
    .select({
      authorizer: authorizers.name,
      decisions: sql<number>`count(*)::int`,
      p50: sql<number>`percentile_cont(0.5) within group (order by ${ms})`,
      p95: sql<number>`percentile_cont(0.95) within group (order by ${ms})`,
    })
    .from(r)
    .innerJoin(authorizers, and(eq(authorizers.id, r.decisionAuthorizerId), eq(authorizers.tenantId, r.tenantId)))
    .where(forTenant(ctx, r.tenantId, isNotNull(r.decidedAt), gte(r.createdAt, since(hours))))
    .groupBy(authorizers.name)
    .orderBy(authorizers.name);
  const decided = new Map(rows.map((row) => [row.authorizer, { decisions: Number(row.decisions), p50Ms: Math.round(Number(row.p50)), p95Ms: Math.round(Number(row.p95)) }]));
  // Every authorizer is listed: one that never decided (unreachable, refused) is what an operator must see.
  const all = await db.select({ name: authorizers.name }).from(authorizers).where(forTenant(ctx, authorizers.tenantId)).orderBy(authorizers.name);
  return all.map(({ name }) => ({ authorizer: name, ...(decided.get(name) ?? { decisions: 0, p50Ms: null as number | null, p95Ms: null as number | null }) }));
}

/** Approvals granted because every authorizer was unreachable and the tenant fails open; newest first. */
export async function listFailOpenExecutions(db: Database, ctx: TenantContext, hours: number, limit = 5) {
  const r = authorizationRequests;
  const where = forTenant(ctx, r.tenantId, eq(r.failOpen, true), gte(r.createdAt, since(hours)));
  const [[total], rows] = await Promise.all([
    db.select({ count: sql<number>`count(*)::int` }).from(r).where(where),
    db.select({ requestId: r.requestId, summary: r.summary, actionType: r.actionType, createdAt: r.createdAt }).from(r).where(where).orderBy(desc(r.createdAt)).limit(limit),
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
      requestId: d.requestId, status: d.status, execute: d.execute, attempts: d.attempts, lastStatusCode: d.lastStatusCode,
      lastError: d.lastError, lastAttemptAt: d.lastAttemptAt, deliveredAt: d.deliveredAt, createdAt: d.createdAt, summary: r.summary,
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
