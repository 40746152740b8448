import { bigserial, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const jobKind = pgEnum("job_kind", ["submit", "poll", "cancel", "expire", "deliver", "report", "seal", "purge"]);
export type JobKind = (typeof jobKind.enumValues)[number];

/**
 * The outbox of pending work. A worker claims due rows with FOR UPDATE SKIP LOCKED and a lease;
 * a crashed worker's lease runs out and another picks the job up, so nothing lives only in memory.
 * A finished job is deleted (its story is in the request's timeline): the table holds only open
 * work, stays small, and a claim or a reschedule does not rewrite every index.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    // No foreign key to tenants (0013): each job row would lock the tenant's row (KEY SHARE) in every
    // submit and decision, one row all of a tenant's concurrent writers share. Jobs are written only by
    // statements that act for a tenant they read. The product never deletes a tenant; whoever removes one
    // by hand deletes its jobs with it (no cascade reaches them), and, since 0017, its requests' events and targets.
    tenantId: uuid("tenant_id").notNull(),
    kind: jobKind("kind").notNull(),
    requestId: text("request_id").notNull(),
    /** The authorizer for submit/poll/cancel; the empty string where none applies (keeps the dedupe key simple). */
    target: text("target").notNull().default(""),
    runAt: timestamp("run_at", { withTimezone: true }).notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    /**
     * The fencing token of the current lease: a claim draws a new one, and every write a job run
     * makes (its target, the request's settlement, the reschedule or deletion of the job) requires
     * it, so a run that outlived its lease changes nothing once another has taken the job over.
     */
    leaseToken: uuid("lease_token").notNull().defaultRandom(),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("jobs_due_idx").on(t.runAt),
    index("jobs_tenant_id_idx").on(t.tenantId),
    // One open job per (kind, request, target): enqueuing twice is a no-op.
    uniqueIndex("jobs_open_uq").on(t.kind, t.requestId, t.target),
  ],
);

export type Job = typeof jobs.$inferSelect;
