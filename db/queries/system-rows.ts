// Rows the database returned to a system task that acts for their tenant: a job (a claim, or a job a
// write statement leased to its caller) or an overdue request the expiry sweep found. lib/auth mints a
// system TenantContext only for such a row, so the tenant a system task acts for always comes from the
// row itself, never from an id someone passed in. Marking is for db/ alone (eslint.config.mjs): a row
// built in memory, or a copy, is not one. The tenant is kept as it was read, not looked up on the
// object later: a row is a plain mutable object, and `row.tenantId = other` must not change whom its
// context names.
const tenantAtRead = new WeakMap<object, string>();

/** For db/ only: marks the rows a statement returned, remembering each one's tenant as read. */
export function markRowsRead<T extends { tenantId: string }>(rows: T[]): T[] {
  for (const row of rows) tenantAtRead.set(row, row.tenantId);
  return rows;
}

/**
 * The tenant `row` had when a db/ statement returned it, or undefined for any other object (a copy,
 * a literal). lib/auth checks it before it acts for the row's tenant.
 */
export function rowTenantAtRead(row: { tenantId: string }): string | undefined {
  return tenantAtRead.get(row);
}
