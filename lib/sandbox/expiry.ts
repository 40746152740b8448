/**
 * Expiry: a request still pending at its `expiresAt` gets a signed `expired` decision (not a
 * denial), delivered like any other. Done lazily when an SP polls or cancels, and in bulk by
 * {@link expireOverdueSandboxRequests} from the background run.
 */
import type { Database } from "@/db/client";
import type { SandboxRequest } from "@/db/schema";
import { listOverdueSandboxRequests, rereadSandboxRequest } from "@/db/queries/system/sandbox-requests";
import { decideSandboxRequest } from "./decisions";
import { ensureSandboxSigningKey } from "./keys";

const EXPIRED_REASON = "No decision was made before the request expired";

/**
 * Expires `row` when it is pending and overdue; returns the row as it now stands.
 *
 * @example
 * ```ts
 * row = await expireIfOverdue(db, row);
 * if (row.status === "expired") return json(row.decisionEnvelope);
 * ```
 */
export async function expireIfOverdue(db: Database, row: SandboxRequest, now = new Date()): Promise<SandboxRequest> {
  if (row.status !== "pending" || row.expiresAt.getTime() > now.getTime()) return row;
  const key = await ensureSandboxSigningKey(db);
  const expired = await db.transaction((tx) =>
    decideSandboxRequest(tx, key, row, "expired", { reason: EXPIRED_REASON }, now),
  );
  if (expired) return expired;
  return (await rereadSandboxRequest(db, row)) ?? row;
}

/**
 * Expires up to `limit` overdue pending requests of every registration; returns how many.
 *
 * @example
 * ```ts
 * await expireOverdueSandboxRequests(db);
 * ```
 */
export async function expireOverdueSandboxRequests(db: Database, now = new Date(), limit = 50): Promise<number> {
  const overdue = await listOverdueSandboxRequests(db, now, limit);
  let expired = 0;
  for (const row of overdue) if ((await expireIfOverdue(db, row, now)).status === "expired") expired += 1;
  return expired;
}
