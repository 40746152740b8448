import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { jobs, type Job, type JobKind } from "@/db/schema";

// The job outbox is worked by the system on behalf of every tenant, so these queries are not
// tenant-scoped; each job carries its tenant_id and the handlers re-derive everything from it.

export interface NewJob {
  tenantId: string;
  kind: JobKind;
  requestId: string;
  target?: string;
  runAt?: Date;
}

/** Enqueues jobs; one open job per (kind, request, target), so enqueuing twice is harmless. */
export async function enqueueJobs(db: Database, newJobs: NewJob[]): Promise<void> {
  if (newJobs.length === 0) return;
  await db
    .insert(jobs)
    .values(newJobs.map((j) => ({ tenantId: j.tenantId, kind: j.kind, requestId: j.requestId, target: j.target ?? "", runAt: j.runAt ?? sql`now()` })))
    .onConflictDoNothing({ target: [jobs.kind, jobs.requestId, jobs.target] });
}

/**
 * Claims up to `limit` due jobs with a lease. FOR UPDATE SKIP LOCKED lets several workers (or app
 * instances) claim side by side without taking the same row; a worker that dies leaves its lease to
 * run out, and the job is claimed again.
 */
export async function claimDueJobs(db: Database, limit: number, lease: { seconds: number; deliverSeconds: number }, only?: { requestId: string; kinds?: JobKind[] }): Promise<Job[]> {
  const filters = [
    sql`${jobs.runAt} <= now()`,
    sql`(${jobs.lockedUntil} is null or ${jobs.lockedUntil} < now())`,
    only ? eq(jobs.requestId, only.requestId) : undefined,
    only?.kinds ? inArray(jobs.kind, only.kinds) : undefined,
  ];
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(...filters))
    .orderBy(jobs.runAt)
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(jobs)
    .set({
      lockedUntil: sql`now() + make_interval(secs => case when ${jobs.kind} = 'deliver' then ${lease.deliverSeconds}::double precision else ${lease.seconds}::double precision end)`,
      attempts: sql`${jobs.attempts} + 1`,
    })
    .where(inArray(jobs.id, due))
    .returning();
}

/** A finished job is deleted: the table holds open work only (the timeline tells what happened). */
export async function completeJob(db: Database, id: number): Promise<void> {
  await db.delete(jobs).where(eq(jobs.id, id));
}

/** Puts a job back for later (backoff), keeping its attempt count. */
export async function rescheduleJob(db: Database, id: number, delayMs: number, error?: string): Promise<void> {
  await db
    .update(jobs)
    .set({ runAt: sql`now() + make_interval(secs => ${delayMs / 1000})`, lockedUntil: null, lastError: error ?? null })
    .where(eq(jobs.id, id));
}
