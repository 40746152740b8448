import { and, eq, sql, type Placeholder, type SQL, type SQLWrapper } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { assertTenantContext, type TenantContext } from "@/lib/auth/tenant-context";

/*
 * Tenant scoping: the one mechanism every query in db/queries uses.
 *
 * The tenant is taken only from a TenantContext that lib/auth issued, checked here at run time
 * (assertTenantContext), never from a value the caller passes, so no query can be scoped to a
 * tenant id that came from request input. It has two forms, for the two ways a query is written:
 *
 * - Drizzle query builder: `where(forTenant(ctx, table.tenantId, ...conditions))`; rows written get
 *   `tenantIdOf(ctx)` (or, better, are INSERT … SELECT from a row `forTenant` found).
 * - Prepared hot statements (`tenantStatement` in db/statement.ts, the submit and decision paths):
 *   the `p.tenantId` placeholder, which tenantStatement fills from the same check and whose values
 *   cannot name a tenant; a row found by its key is matched with `sameTenant(column, p.tenantId)`.
 *
 * Every write to a tenant table (UPDATE, DELETE, INSERT … SELECT) carries the tenant condition on the
 * table it writes, even when an earlier step of the same statement already found the tenant's request:
 * a request id names a request, not the rows of other tables that point at it.
 * Deliberately cross-tenant queries (claiming jobs, resolving a callback) live in db/queries/system/
 * or say so at the top of their module, each with its reason. Code outside db/ never scopes a query
 * itself: it calls a query of db/queries with its context.
 */

/** The tenant condition of a query-builder query, joined with the query's own conditions. */
export function forTenant(ctx: TenantContext, tenantIdColumn: PgColumn, ...conditions: (SQL | undefined)[]): SQL {
  const tenantId = assertTenantContext(ctx);
  return and(eq(tenantIdColumn, tenantId), ...conditions) as SQL;
}

/** The tenant id to write into new rows, from the same checked context. */
export function tenantIdOf(ctx: TenantContext): string {
  return assertTenantContext(ctx);
}

/**
 * The tenant condition of a prepared statement on a row it finds by its key, written so that no index
 * can serve it. After five runs Postgres may switch a named statement to a generic plan made on the
 * statistics of that moment — on a new database, empty tables — and use it until an ANALYZE re-plans
 * it. Such a plan can read a table by any index a condition fits: with a plain `tenant_id = $1`, a
 * tenant-leading one, reading every row of the tenant on each call (the request view did; the decision
 * write read every pending request through a partial index, and its Postgres CPU grew from ~1 to
 * ~3.5 ms within a minute of `npm run bench`). Here only the key can be an index condition; the
 * tenant is checked on the row. `tenantId` is the statement's own placeholder (filled from the context).
 */
export function sameTenant(column: SQLWrapper, tenantId: Placeholder<"tenantId">): SQL {
  return sql`${column}::text = ${tenantId}::uuid::text`;
}
