import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { sandboxDeliveries, sandboxRequests, type SandboxDelivery } from "@/db/schema";

// Deliberately cross-tenant: the background run delivers due decisions of every registration to
// their SPs' callback URLs. Each write after the claim names the delivery's own tenant as well.

type DeliveryRef = Pick<SandboxDelivery, "sandboxRequestId" | "tenantId">;
const sameDelivery = (d: DeliveryRef) =>
  and(eq(sandboxDeliveries.sandboxRequestId, d.sandboxRequestId), eq(sandboxDeliveries.tenantId, d.tenantId));
/**
 * The claim's fence: the attempt it counted, on a delivery still pending. A run whose lease ran out
 * and whose delivery was claimed again (attempts + 1), or already recorded, matches no row.
 */
const heldClaim = (d: SandboxDelivery) =>
  and(
    sameDelivery(d),
    eq(sandboxDeliveries.attempts, d.attempts),
    eq(sandboxDeliveries.status, "pending"),
    isNotNull(sandboxDeliveries.lockedUntil),
  );
const sameRequest = (d: DeliveryRef) =>
  and(eq(sandboxRequests.id, d.sandboxRequestId), eq(sandboxRequests.tenantId, d.tenantId));

/**
 * Claims up to `limit` due deliveries (or only `sandboxRequestId`'s) with a lease of `leaseSeconds`:
 * FOR UPDATE SKIP LOCKED, so several instances never take the same one, and a crashed run's lease runs out.
 */
export async function claimDueSandboxDeliveries(
  db: Database,
  options: { sandboxRequestId?: string; limit: number; leaseSeconds: number },
): Promise<SandboxDelivery[]> {
  const due = db
    .select({ id: sandboxDeliveries.sandboxRequestId })
    .from(sandboxDeliveries)
    .where(
      and(
        eq(sandboxDeliveries.status, "pending"),
        lte(sandboxDeliveries.nextAttemptAt, sql`now()`),
        or(isNull(sandboxDeliveries.lockedUntil), lt(sandboxDeliveries.lockedUntil, sql`now()`)),
        options.sandboxRequestId ? eq(sandboxDeliveries.sandboxRequestId, options.sandboxRequestId) : undefined,
      ),
    )
    .orderBy(asc(sandboxDeliveries.nextAttemptAt))
    .limit(options.limit)
    .for("update", { skipLocked: true });
  return db
    .update(sandboxDeliveries)
    .set({
      lockedUntil: sql`now() + make_interval(secs => ${options.leaseSeconds})`,
      attempts: sql`${sandboxDeliveries.attempts} + 1`,
    })
    .where(inArray(sandboxDeliveries.sandboxRequestId, due))
    .returning();
}

/** The signed decision a delivery carries, or null when its request has none. */
export async function findDecisionToDeliver(db: Database, delivery: DeliveryRef): Promise<unknown> {
  const [row] = await db
    .select({ envelope: sandboxRequests.decisionEnvelope })
    .from(sandboxRequests)
    .where(sameRequest(delivery));
  return row?.envelope ?? null;
}

/** How an attempt ended, as stored: delivered (with the SP's execution result, if any) or not. */
export type SandboxDeliveryRecord =
  | {
      delivered: true;
      statusCode: number;
      execution: { status: "success" | "error" | "accepted"; error: string | null } | null;
    }
  /** `retryInMs` null: given up (the delivery stays visible as failed, and the SP can still poll). */
  | { delivered: false; statusCode: number | null; error: string; retryInMs: number | null };

/**
 * Records an attempt on the delivery and, when delivered, the SP's execution result on its request —
 * only while the claim that made the attempt still holds the delivery (see heldClaim): a stale run
 * changes nothing.
 */
export async function recordSandboxDeliveryAttempt(
  db: Database,
  delivery: SandboxDelivery,
  result: SandboxDeliveryRecord,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (!result.delivered) {
      await tx
        .update(sandboxDeliveries)
        .set({
          status: result.retryInMs === null ? "failed" : "pending",
          lockedUntil: null,
          lastStatusCode: result.statusCode,
          lastError: result.error,
          nextAttemptAt:
            result.retryInMs === null
              ? delivery.nextAttemptAt
              : sql`now() + make_interval(secs => ${result.retryInMs / 1000})`,
        })
        .where(heldClaim(delivery));
      return;
    }
    const [held] = await tx
      .update(sandboxDeliveries)
      .set({
        status: "delivered",
        lockedUntil: null,
        lastStatusCode: result.statusCode,
        lastError: null,
        deliveredAt: sql`now()`,
      })
      .where(heldClaim(delivery))
      .returning({ id: sandboxDeliveries.sandboxRequestId });
    if (!held) return;
    // `accepted`: the result follows as a result report (which may even have come first: keep it).
    if (result.execution?.status === "accepted") {
      await tx
        .update(sandboxRequests)
        .set({ executionStatus: "accepted", executionError: null })
        .where(and(sameRequest(delivery), isNull(sandboxRequests.executionReportedAt)));
      return;
    }
    await tx
      .update(sandboxRequests)
      .set(
        result.execution
          ? {
              executionStatus: result.execution.status,
              executionError: result.execution.error,
              executionReportedAt: sql`now()`,
            }
          : {
              executionStatus: null,
              executionError: "the SP acknowledged the decision without an execution result",
              executionReportedAt: sql`now()`,
            },
      )
      .where(sameRequest(delivery));
  });
}
