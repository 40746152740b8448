import type { Job } from "@/db/schema";

// Job rows as the database returned them (a claim, or a job a write statement leased to its
// caller). lib/auth mints a job's system TenantContext only for such a row, so the tenant a job
// runs for always comes from the row itself, never from an id someone passed in. Marking is for
// db/ alone (eslint.config.mjs): a row built in memory, or a copy, is not one.
const fromDatabase = new WeakSet<Job>();

/** For db/ only: marks the job rows a statement returned. */
export function markJobRowsRead<T extends Job>(rows: T[]): T[] {
  for (const row of rows) fromDatabase.add(row);
  return rows;
}

/** True when `job` is a row a db/ statement returned (checked by lib/auth before it acts for its tenant). */
export function isJobRowRead(job: Job): boolean {
  return fromDatabase.has(job);
}
