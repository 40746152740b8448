import { getTableColumns } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/**
 * Maps a row that Postgres serialised with `row_to_json` (snake_case keys, dates as strings) back
 * to Drizzle's typed row, through each column's own decoder. For the single-statement writes and
 * reads that return whole rows from a CTE or a subquery.
 */
export function rowFromJson<T>(table: PgTable, json: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as T;
}
