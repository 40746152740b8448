import { and, asc, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { sandboxDeliveries, sandboxRequests, type SandboxRequest } from "@/db/schema";

// Deliberately cross-tenant: the sandbox authorizer acts for the SP whose signed envelope it verified
// against the registration found by spId (submit, poll, cancel, result report), and, in the background,
// for every registration (expiry). It holds no TenantContext; each write instead carries the tenant
// of the registration or of the row it read, so a row id never reaches another tenant's request.

type RowRef = Pick<SandboxRequest, "id" | "tenantId">;
const sameRow = (row: RowRef) => and(eq(sandboxRequests.id, row.id), eq(sandboxRequests.tenantId, row.tenantId));

/** The request an SP's (verified) envelope refers to by its (spId, requestId), or null. */
export async function findSandboxRequestForSp(
  db: Database,
  spId: string,
  requestId: string,
): Promise<SandboxRequest | null> {
  const [row] = await db
    .select()
    .from(sandboxRequests)
    .where(and(eq(sandboxRequests.spId, spId), eq(sandboxRequests.requestId, requestId)));
  return row ?? null;
}

/** The row as it now stands (after a write that another one raced), or null. */
export async function rereadSandboxRequest(db: Database, row: RowRef): Promise<SandboxRequest | null> {
  const [current] = await db.select().from(sandboxRequests).where(sameRow(row));
  return current ?? null;
}

/** Stores a verified submission; null when this SP sent this requestId before. */
export async function insertSandboxRequest(
  db: Database,
  values: typeof sandboxRequests.$inferInsert,
): Promise<SandboxRequest | null> {
  const [stored] = await db
    .insert(sandboxRequests)
    .values(values)
    .onConflictDoNothing({ target: [sandboxRequests.spId, sandboxRequests.requestId] })
    .returning();
  return stored ?? null;
}

/** The SP's cancel: only a pending request is cancelled; null when something else won first. */
export async function cancelPendingSandboxRequest(
  db: Database,
  row: RowRef,
  at: Date,
  reason: string,
): Promise<SandboxRequest | null> {
  const [cancelled] = await db
    .update(sandboxRequests)
    .set({ status: "cancelled", decidedAt: at, decisionReason: reason })
    .where(and(sameRow(row), eq(sandboxRequests.status, "pending")))
    .returning();
  return cancelled ?? null;
}

/**
 * Stores a signed decision on a pending request and queues its callback delivery, in the caller's
 * transaction; null when the request was no longer pending (the first decision wins).
 */
export async function storeSandboxDecision(
  tx: Database,
  row: RowRef,
  decision: { status: "approved" | "denied" | "expired"; decidedAt: Date; reason: string | null; envelope: unknown },
): Promise<SandboxRequest | null> {
  const [decided] = await tx
    .update(sandboxRequests)
    .set({
      status: decision.status,
      decidedAt: decision.decidedAt,
      decisionReason: decision.reason,
      decisionEnvelope: decision.envelope,
    })
    .where(and(sameRow(row), eq(sandboxRequests.status, "pending")))
    .returning();
  if (!decided) return null;
  if (decided.callbackUrl) {
    await tx
      .insert(sandboxDeliveries)
      .values({ sandboxRequestId: decided.id, tenantId: decided.tenantId, callbackUrl: decided.callbackUrl })
      .onConflictDoNothing();
  }
  return decided;
}

/** Up to `limit` pending requests of every registration whose expiry has passed, the most overdue first. */
export async function listOverdueSandboxRequests(db: Database, now: Date, limit: number): Promise<SandboxRequest[]> {
  return db
    .select()
    .from(sandboxRequests)
    .where(and(eq(sandboxRequests.status, "pending"), lte(sandboxRequests.expiresAt, now)))
    .orderBy(asc(sandboxRequests.expiresAt))
    .limit(limit);
}

/**
 * Stores an execution result the SP reported for an approved request, unless a result is already
 * stored (a repeated report changes nothing). Only `accepted` or no result yet may be replaced.
 */
export async function recordSandboxExecutionResult(
  db: Database,
  row: RowRef,
  result: { status: "success" | "error"; error: string | null },
) {
  await db
    .update(sandboxRequests)
    .set({ executionStatus: result.status, executionError: result.error, executionReportedAt: sql`now()` })
    .where(
      and(
        sameRow(row),
        eq(sandboxRequests.status, "approved"),
        or(isNull(sandboxRequests.executionStatus), eq(sandboxRequests.executionStatus, "accepted")),
      ),
    );
}
