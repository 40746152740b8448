import type { Job } from "@/db/schema";

// Job rows as the database returned them (a claim, or a job a write statement leased to its
// caller). lib/auth mints a job's system TenantContext only for such a row, so the tenant a job
// runs for always comes from the row itself, never from an id someone passed in. Marking is for
// db/ alone (eslint.config.mjs): a row built in memory, or a copy, is not one. The tenant is kept
// as it was read, not looked up on the object later: a row is a plain mutable object, and
// `job.tenantId = other` must not change whom its context names.
const tenantAtRead = new WeakMap<Job, string>();

/** For db/ only: marks the job rows a statement returned, remembering each one's tenant as read. */
export function markJobRowsRead<T extends Job>(rows: T[]): T[] {
  for (const row of rows) tenantAtRead.set(row, row.tenantId);
  return rows;
}

/**
 * The tenant `job` had when a db/ statement returned it, or undefined for any other object (a copy,
 * a literal). lib/auth checks it before it acts for the job's tenant.
 */
export function jobRowTenant(job: Job): string | undefined {
  return tenantAtRead.get(job);
}
