import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { jobs, type Job, type JobKind } from "@/db/schema";
import { markRowsRead } from "../system-rows";

// Deliberately cross-tenant: the job outbox is worked by the system on behalf of every tenant, so
// these queries are not tenant-scoped; each job carries its tenant_id, and its handler acts for that
// tenant only. A job is changed only by the run holding its lease (id and token). A tenant's own
// claims (a cancel running its cancels at once) are in ../jobs.ts.

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
    .values(
      newJobs.map((j) => ({
        tenantId: j.tenantId,
        kind: j.kind,
        requestId: j.requestId,
        target: j.target ?? "",
        runAt: j.runAt ?? sql`now()`,
      })),
    )
    .onConflictDoNothing({ target: [jobs.kind, jobs.requestId, jobs.target] });
}

/** The lease a job run holds: its job and the token its claim drew (see jobs.leaseToken). */
export interface JobLease {
  jobId: number;
  token: string;
}

export const leaseOf = (job: Job): JobLease => ({ jobId: job.id, token: job.leaseToken });

/**
 * How long a claim leases its jobs: `seconds`, or the kind's own in `byKind` (a delivery's lease
 * outlasts a webhook call).
 */
export interface ClaimLease {
  seconds: number;
  byKind?: Partial<Record<JobKind, number>>;
}

/**
 * Claims up to `limit` due jobs with a lease. FOR UPDATE SKIP LOCKED lets several workers (or app
 * instances) claim side by side without taking the same row; a worker that dies leaves its lease to
 * run out, and the job is claimed again, with a new lease token that fences the old run out.
 * `only.kinds` limits the claim to the kinds the caller can run (a worker claims nothing it has no
 * handler for); `only.requestId` to one request's jobs.
 */
export async function claimDueJobs(
  db: Database,
  limit: number,
  lease: ClaimLease,
  only?: { requestId?: string; kinds?: JobKind[] },
): Promise<Job[]> {
  if (only?.kinds?.length === 0) return [];
  return claimJobs(db, limit, lease, [
    only?.requestId !== undefined ? eq(jobs.requestId, only.requestId) : undefined,
    only?.kinds ? inArray(jobs.kind, only.kinds) : undefined,
  ]);
}

/** Claims due jobs matching `only` (fair across tenants, as claimDueJobs); a tenant's claim passes its tenant condition. */
export async function claimJobs(
  db: Database,
  limit: number,
  lease: ClaimLease,
  only: (SQL | undefined)[],
): Promise<Job[]> {
  const filters = [
    sql`${jobs.runAt} <= now()`,
    sql`(${jobs.lockedUntil} is null or ${jobs.lockedUntil} < now())`,
    ...only,
  ];
  // Fair across tenants: each tenant's due jobs are ranked oldest first, and the claim takes every
  // tenant's first before anyone's second, so one tenant's backlog cannot starve another's jobs.
  // Each tenant's ranking reads at most `limit` rows, through jobs_tenant_due_idx.
  const due = sql`(select j.id from (select distinct ${jobs.tenantId} as tenant_id from ${jobs} where ${and(...filters)}) t
    cross join lateral (
      select ${jobs.id} as id, ${jobs.runAt} as run_at, row_number() over (order by ${jobs.runAt}) as turn
      from ${jobs} where ${jobs.tenantId} = t.tenant_id and ${and(...filters)}
      order by ${jobs.runAt} limit ${limit}
    ) j
    order by j.turn, j.run_at
    limit ${limit})`;
  const locked = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(inArray(jobs.id, due), ...filters))
    .for("update", { skipLocked: true });
  const claimed = await db
    .update(jobs)
    .set({
      lockedUntil: sql`now() + make_interval(secs => ${leaseSecondsOf(lease)})`,
      attempts: sql`${jobs.attempts} + 1`,
      leaseToken: sql`gen_random_uuid()`,
    })
    .where(inArray(jobs.id, locked))
    .returning();
  // Only such rows may be run for their tenant (lib/auth's jobContext): see system-rows.ts.
  return markRowsRead(claimed);
}

/** The claimed row's lease length in seconds: its kind's in `byKind`, else `seconds`. */
function leaseSecondsOf(lease: ClaimLease): SQL {
  const seconds = sql`${lease.seconds}::double precision`;
  const byKind = Object.entries(lease.byKind ?? {}).map(
    ([kind, kindSeconds]) => sql`when ${jobs.kind} = ${kind} then ${kindSeconds}::double precision`,
  );
  return byKind.length === 0 ? seconds : sql`case ${sql.join(byKind, sql` `)} else ${seconds} end`;
}

const held = (lease: JobLease) => and(eq(jobs.id, lease.jobId), eq(jobs.leaseToken, lease.token));

/** A finished job is deleted: the table holds open work only (the timeline tells what happened). Only by its lease holder. */
export async function completeJob(db: Database, lease: JobLease): Promise<void> {
  await db.delete(jobs).where(held(lease));
}

/** Puts a job back for later (backoff), keeping its attempt count. Only by its lease holder. */
export async function rescheduleJob(db: Database, lease: JobLease, delayMs: number, error?: string): Promise<void> {
  await db
    .update(jobs)
    .set({ runAt: sql`now() + make_interval(secs => ${delayMs / 1000})`, lockedUntil: null, lastError: error ?? null })
    .where(held(lease));
}

/**
 * Extends a lease still held by `lease` (expired or not: nobody else has claimed the job, or the
 * token would differ) by `seconds` from now. False when the job was taken over or is gone.
 */
export async function renewJobLease(db: Database, lease: JobLease, seconds: number): Promise<boolean> {
  const renewed = await db
    .update(jobs)
    .set({ lockedUntil: sql`now() + make_interval(secs => ${seconds}::double precision)` })
    .where(held(lease))
    .returning({ id: jobs.id });
  return renewed.length > 0;
}
