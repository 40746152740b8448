import type { Database } from "@/db/client";
import type { Job } from "@/db/schema";
import { findOverdueRequests } from "@/db/queries/system/request-expiry";
import { expiryContext } from "@/lib/auth/system-context";
import { runJob } from "@/lib/jobs/job-runner";
import { finalizeRequest } from "./finalize";

// Expiry is a sweep, not a job per request: a pending submit wrote an expiry job (a row and four
// index entries) and its decision deleted it again, for the rare request nobody decides. The sweep
// reads the few overdue entries of a partial index instead (db/queries/system/request-expiry.ts).

/** The most requests one sweep ends (each worker pass and cron tick runs at most one sweep a second). */
export const EXPIRY_SWEEP_LIMIT = 100;

/**
 * Ends requests still pending past their expiresAt: `expired`, not denied (a timeout is not a human
 * no). Each ends in the finalize statement's conditional write — still pending, and past expiresAt by
 * the database's clock — so a decision or cancel that won first, or another instance's sweep, leaves
 * it as it is. The service webhooks it queues are delivered at once. Returns how many it ended.
 *
 * @example registerPeriodicTask("expire overdue requests", (db) => expireOverdueRequests(db), { everyMs: 1000 })
 */
export async function expireOverdueRequests(db: Database, limit = EXPIRY_SWEEP_LIMIT): Promise<number> {
  const deliveries: Job[] = [];
  let ended = 0;
  for (const row of await findOverdueRequests(db, limit)) {
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
  }
  // Leased to this sweep by the finalize statement: should this process die first, the worker takes them over.
  await Promise.all(deliveries.map((job) => runJob(db, job)));
  return ended;
}
