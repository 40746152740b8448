import type { Database } from "@/db/client";
import type { Job } from "@/db/schema";
import { findOverdueRequests, type OverdueRequest } from "@/db/queries/system/request-expiry";
import { expiryContext } from "@/lib/auth/system-context";
import { runJob } from "@/lib/jobs/job-runner";
import { finalizeRequest } from "./finalize";

// Expiry is a sweep, not a job per request: a pending submit wrote an expiry job (a row and four
// index entries) and its decision deleted it again, for the rare request nobody decides. The sweep
// reads the few overdue entries of a partial index instead (db/queries/system/request-expiry.ts).

/** The most requests one batch ends; a sweep takes batches while they come back full, within its budget. */
const EXPIRY_SWEEP_LIMIT = 100;
/** How long one sweep may go on taking full batches (a backlog after an outage drains a batch at a time). */
const EXPIRY_SWEEP_BUDGET_MS = 2_000;
/** Requests of one batch ended side by side (each is its own conditional write). */
const EXPIRY_CONCURRENCY = 8;

/**
 * Ends requests still pending past their expiresAt: `expired`, not denied (a timeout is not a human
 * no). Each ends in the finalize statement's conditional write — still pending, and past expiresAt by
 * the database's clock — so a decision or cancel that won first, or another instance's sweep, leaves
 * it as it is. The service webhooks it queues are delivered at once. One request that fails is logged
 * and left for the next sweep; the others still end. Returns how many it ended.
 *
 * @example registerPeriodicTask("expire overdue requests", (db) => expireOverdueRequests(db), { everyMs: 1000 })
 */
export async function expireOverdueRequests(
  db: Database,
  options: { limit?: number; budgetMs?: number } = {},
): Promise<number> {
  const limit = options.limit ?? EXPIRY_SWEEP_LIMIT;
  const started = Date.now();
  let ended = 0;
  for (;;) {
    const overdue = await findOverdueRequests(db, limit);
    ended += await expireBatch(db, overdue);
    if (overdue.length < limit || Date.now() - started >= (options.budgetMs ?? EXPIRY_SWEEP_BUDGET_MS)) return ended;
  }
}

async function expireBatch(db: Database, overdue: OverdueRequest[]): Promise<number> {
  const deliveries: Job[] = [];
  let ended = 0;
  let next = 0;
  const worker = async () => {
    for (let row = overdue[next++]; row; row = overdue[next++]) {
      try {
        const expired = await finalizeRequest(db, expiryContext(row), {
          requestId: row.requestId,
          status: "expired",
          statusReason: "expired",
          source: "expiry",
          condition: { kind: "expiry" },
          events: [{ type: "expired" }],
        });
        if (!expired) continue;
        ended += 1;
        if (expired.deliveryJob) deliveries.push(expired.deliveryJob);
      } catch (error) {
        console.error(`expiry of ${row.requestId} failed`, error instanceof Error ? error.message : error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(EXPIRY_CONCURRENCY, overdue.length) }, worker));
  // Leased to this sweep by the finalize statement: should this process die first, the worker takes them over.
  await Promise.all(deliveries.map((job) => runJob(db, job)));
  return ended;
}
