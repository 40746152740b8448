import { createHash } from "node:crypto";
import { sql, type Placeholder, type SQL } from "drizzle-orm";
import { PgDialect, type PgPreparedQuery, type PgSession } from "drizzle-orm/pg-core";
import type { TenantContext } from "@/lib/auth/tenant-context";
import type { Database } from "./client";
import { tenantIdOf } from "./queries/tenant-scope";
import { config } from "@/lib/config/env";

type Placeholders<V> = { readonly [K in keyof V & string]: Placeholder<K> };

const dialect = new PgDialect();
// Named statements are parsed and planned once per connection. Off for poolers that cannot keep
// them (PgBouncer in transaction mode before 1.21): DATABASE_PREPARED_STATEMENTS=false.
const namedStatements = () => config().DATABASE_PREPARED_STATEMENTS;

// The text's hash is part of the name: a connection refuses one name for two texts (as after an edit in `next dev`).
function compile(name: string, statement: SQL) {
  const query = dialect.sqlToQuery(statement);
  return { ...query, name: `${name}_${createHash("sha256").update(query.sql).digest("hex").slice(0, 10)}` };
}

const registry: { name: string; text: () => string }[] = [];

/** Every tenantStatement's name and SQL text (for the test that checks their generic plans). */
export function registeredStatements(): readonly { name: string; text: () => string }[] {
  return registry;
}

/**
 * A hot, tenant-scoped statement (the gateway's submit and decision paths), written with Drizzle's
 * `sql` and schema objects like every other query but rendered to SQL text once, with `p.name`
 * placeholders for its values. Each call then skips Drizzle's query building (hundreds of chunks
 * for the one-statement writes) and, as a named prepared statement, the database's parsing and
 * planning: together they were measured as about half of a submit's cost. Scoped as described in
 * db/queries/tenant-scope.ts: `p.tenantId` is always filled from the checked TenantContext, and the
 * values cannot carry a `tenantId` of their own. Runs on any handle (the database or a transaction;
 * PGlite, node-postgres or Neon) through Drizzle's prepared-query API.
 */
export function tenantStatement<V extends Record<string, unknown> & { tenantId?: never }>(
  name: string,
  build: (p: Placeholders<V & { tenantId: string }>) => SQL,
) {
  let query: { sql: string; params: unknown[]; name: string } | undefined;
  const compiled = () =>
    (query ??= compile(
      name,
      build(new Proxy({}, { get: (_, key) => sql.placeholder(String(key)) }) as Placeholders<V & { tenantId: string }>),
    ));
  registry.push({ name, text: () => compiled().sql });
  const prepared = new WeakMap<object, PgPreparedQuery<never>>();
  return async <Row = Record<string, unknown>>(db: Database, ctx: TenantContext, values: V): Promise<Row[]> => {
    const tenantId = tenantIdOf(ctx);
    const query = compiled();
    const session: PgSession = db._.session as unknown as PgSession;
    let statement = prepared.get(session);
    if (!statement) {
      statement = session.prepareQuery(query, undefined, namedStatements() ? query.name : undefined, false);
      prepared.set(session, statement);
    }
    const result = (await statement.execute({ ...values, tenantId })) as unknown as { rows: Row[] };
    return result.rows;
  };
}

/** The rows of a one-off `sql` statement (Drizzle types `execute`'s result per driver). */
export async function executeRows<Row>(db: Database, query: SQL): Promise<Row[]> {
  return ((await db.execute(query)) as unknown as { rows: Row[] }).rows;
}
