import { getTableColumns } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { jobs, type Job } from "./schema";
import { markRowsRead } from "./queries/system-rows";

const columnLists = new WeakMap<PgTable, [string, PgColumn][]>();
// On the submit path for every row it returns: list a table's columns once.
function columnsOf(table: PgTable): [string, PgColumn][] {
  let columns = columnLists.get(table);
  if (!columns) columnLists.set(table, (columns = Object.entries(getTableColumns(table))));
  return columns;
}

/**
 * Maps a row that Postgres serialised with `row_to_json` (snake_case keys, dates as strings) back
 * to Drizzle's typed row, through each column's own decoder. For the single-statement writes and
 * reads that return whole rows from a CTE or a subquery.
 */
export function rowFromJson<T>(table: PgTable, json: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [key, column] of columnsOf(table)) {
    const value = json[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  // A job a write statement returned (leased to its caller) may be run for its tenant: see system-rows.ts.
  if (table === jobs) markRowsRead([out as unknown as Job]);
  return out as T;
}
