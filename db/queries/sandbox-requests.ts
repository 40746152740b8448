import { asc, desc, eq, inArray, ne } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  sandboxDeliveries,
  sandboxRequests,
  sandboxReviews,
  type SandboxDelivery,
  type SandboxRequest,
  type SandboxReview,
} from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { forTenant } from "./tenant-scope";

/** A request as the inbox shows it: the row (minus the raw envelope), its reviews and its delivery. */
export type SandboxInboxItem = Omit<SandboxRequest, "envelope" | "payload" | "decisionEnvelope" | "tenantId"> & {
  reviews: Pick<SandboxReview, "userId" | "reviewerName" | "reviewerEmail" | "verdict" | "reason" | "createdAt">[];
  delivery: Pick<
    SandboxDelivery,
    "status" | "attempts" | "lastStatusCode" | "lastError" | "deliveredAt" | "nextAttemptAt"
  > | null;
};

const inboxLimit = 100;

/** Pending requests (oldest expiry first) or decided ones (newest first) of the tenant's registrations. */
export async function listSandboxInbox(
  db: Database,
  ctx: TenantContext,
  view: "pending" | "decided",
): Promise<SandboxInboxItem[]> {
  const rows = await db
    .select()
    .from(sandboxRequests)
    .where(
      forTenant(
        ctx,
        sandboxRequests.tenantId,
        view === "pending" ? eq(sandboxRequests.status, "pending") : ne(sandboxRequests.status, "pending"),
      ),
    )
    .orderBy(view === "pending" ? asc(sandboxRequests.expiresAt) : desc(sandboxRequests.decidedAt))
    .limit(inboxLimit);
  return withReviewsAndDeliveries(db, ctx, rows);
}

/** One request of the tenant's registrations, or null (another tenant's request is "not found"). */
export async function getSandboxInboxItem(
  db: Database,
  ctx: TenantContext,
  id: string,
): Promise<SandboxInboxItem | null> {
  const rows = await db
    .select()
    .from(sandboxRequests)
    .where(forTenant(ctx, sandboxRequests.tenantId, eq(sandboxRequests.id, id)));
  const [item] = await withReviewsAndDeliveries(db, ctx, rows);
  return item ?? null;
}

async function withReviewsAndDeliveries(
  db: Database,
  ctx: TenantContext,
  rows: SandboxRequest[],
): Promise<SandboxInboxItem[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [reviews, deliveries] = await Promise.all([
    db
      .select()
      .from(sandboxReviews)
      .where(forTenant(ctx, sandboxReviews.tenantId, inArray(sandboxReviews.sandboxRequestId, ids)))
      .orderBy(asc(sandboxReviews.createdAt)),
    db
      .select()
      .from(sandboxDeliveries)
      .where(forTenant(ctx, sandboxDeliveries.tenantId, inArray(sandboxDeliveries.sandboxRequestId, ids))),
  ]);
  return rows.map(({ envelope: _e, payload: _p, decisionEnvelope: _d, tenantId: _t, ...row }) => {
    const delivery = deliveries.find((d) => d.sandboxRequestId === row.id);
    return {
      ...row,
      reviews: reviews
        .filter((r) => r.sandboxRequestId === row.id)
        .map((r) => ({
          userId: r.userId,
          reviewerName: r.reviewerName,
          reviewerEmail: r.reviewerEmail,
          verdict: r.verdict,
          reason: r.reason,
          createdAt: r.createdAt,
        })),
      delivery: delivery
        ? {
            status: delivery.status,
            attempts: delivery.attempts,
            lastStatusCode: delivery.lastStatusCode,
            lastError: delivery.lastError,
            deliveredAt: delivery.deliveredAt,
            nextAttemptAt: delivery.nextAttemptAt,
          }
        : null,
    };
  });
}

/** One of the tenant's requests, or null (another tenant's request is "not found"). */
export async function getSandboxRequest(db: Database, ctx: TenantContext, id: string): Promise<SandboxRequest | null> {
  const [row] = await db
    .select()
    .from(sandboxRequests)
    .where(forTenant(ctx, sandboxRequests.tenantId, eq(sandboxRequests.id, id)));
  return row ?? null;
}

/** The same, locked for the caller's transaction (a review reads the reviews so far and may decide). */
export async function lockSandboxRequest(tx: Database, ctx: TenantContext, id: string): Promise<SandboxRequest | null> {
  const [row] = await tx
    .select()
    .from(sandboxRequests)
    .where(forTenant(ctx, sandboxRequests.tenantId, eq(sandboxRequests.id, id)))
    .for("update");
  return row ?? null;
}
