import { and, eq, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { assertTenantContext, type TenantContext } from "@/lib/auth/tenant-context";

/**
 * The one place tenant isolation is applied: `where(forTenant(ctx, table.tenantId, ...))`.
 * It refuses contexts that lib/auth did not issue, so a query cannot be scoped to a tenant id that
 * came from request input.
 */
export function forTenant(ctx: TenantContext, tenantIdColumn: PgColumn, ...conditions: (SQL | undefined)[]): SQL {
  const tenantId = assertTenantContext(ctx);
  return and(eq(tenantIdColumn, tenantId), ...conditions) as SQL;
}

/** The tenant id to write into new rows, from the same checked context. */
export function tenantIdOf(ctx: TenantContext): string {
  return assertTenantContext(ctx);
}
