import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenants } from "./tenants";

/** Configuration audit trail: who changed what, written in the same transaction as the change. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    /** "user:<uuid>" or "api_key:<uuid>" or "system". */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    data: jsonb("data").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * Set on summary rows only (e.g. `callback.refused:<authorizerId>:<minute>`): repeats of the
     * same event within its window update this one row's count instead of adding rows.
     */
    summaryKey: text("summary_key"),
  },
  (t) => [
    index("audit_events_tenant_id_created_at_idx").on(t.tenantId, t.createdAt),
    uniqueIndex("audit_events_summary_key_idx").on(t.summaryKey),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
