import { integer, pgTable, smallint, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { requestStatus } from "./authorization-requests";
import { tenants } from "./tenants";

/**
 * The overview's rollup: requests per tenant, UTC hour of receipt and status, kept by the same
 * statement that changes a request's status (submit: +1 pending; a final status: −1 pending, +1 final).
 * Decided rows also carry the deciding authorizer and a latency bucket (quarter-octaves of
 * milliseconds, see db/queries/request-stats-rollup.ts), so the latency percentiles come from a
 * histogram: the overview reads a few thousand rows at most instead of every request of the week.
 */
export const requestStats = pgTable(
  "request_stats",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** date_trunc('hour', created_at, 'UTC'). */
    bucket: timestamp("bucket", { withTimezone: true }).notNull(),
    status: requestStatus("status").notNull(),
    /** The deciding authorizer (null when none decided: pending, expiry, cancel, routing, unavailability). */
    authorizerId: uuid("authorizer_id"),
    /** floor(4·log2(decided_at − created_at in ms)), for decided rows with an authorizer. */
    latencyBucket: smallint("latency_bucket"),
    /**
     * pg_backend_pid() % 8 of the writer: concurrent submits of one tenant and hour would otherwise
     * queue on one row, each holding its lock until its commit is flushed. Readers sum over slots.
     */
    slot: smallint("slot").notNull().default(0),
    requests: integer("requests").notNull().default(0),
    /** Approvals granted because every authorizer was unreachable and the tenant fails open. */
    failOpen: integer("fail_open").notNull().default(0),
  },
  (t) => [
    // Also the overview's index: tenant, then hour.
    unique("request_stats_key_uq")
      .on(t.tenantId, t.bucket, t.status, t.authorizerId, t.latencyBucket, t.slot)
      .nullsNotDistinct(),
  ],
);
export type RequestStatsRow = typeof requestStats.$inferSelect;
