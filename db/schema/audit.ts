import { sql } from "drizzle-orm";
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { tenants } from "./tenants";

/** Configuration audit trail: who changed what, written in the same transaction as the change. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
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
    // Set by the sealing job (see lib/audit-chain/entry-hash.ts): null until sealed.
    hash: text("hash"),
    prevHash: text("prev_hash"),
    checkpointSeq: bigint("checkpoint_seq", { mode: "number" }),
  },
  (t) => [
    index("audit_events_tenant_id_created_at_idx").on(t.tenantId, t.createdAt),
    uniqueIndex("audit_events_summary_key_idx").on(t.summaryKey),
    index("audit_events_unsealed_idx")
      .on(t.tenantId, t.createdAt)
      .where(sql`checkpoint_seq is null`),
    index("audit_events_sealed_idx")
      .on(t.tenantId, t.checkpointSeq, t.createdAt, t.id)
      .where(sql`checkpoint_seq is not null`),
  ],
);

/**
 * A signed seal over every audit entry (request and configuration events) written since the
 * previous one, chained checkpoint to checkpoint. `envelope` is a StepAuth signed envelope whose
 * payload is the canonical checkpoint body (lib/audit-chain/checkpoint.ts).
 */
export const auditCheckpoints = pgTable(
  "audit_checkpoints",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    /** SHA-256 (hex) of the signed payload bytes: what the next checkpoint's prevHash names. */
    hash: text("hash").notNull(),
    entryCount: integer("entry_count").notNull(),
    keyId: text("key_id").notNull(),
    envelope: jsonb("envelope")
      .$type<{ payload: string; signatures: { algorithm: string; keyId: string; signature: string }[] }>()
      .notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.seq] }),
    index("audit_checkpoints_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);

export type AuditCheckpoint = typeof auditCheckpoints.$inferSelect;

export type AuditEvent = typeof auditEvents.$inferSelect;

/**
 * What a retention purge leaves of a sealed request event: its id and hash, so the checkpoint that
 * sealed it still recomputes its root (the content is gone; the purge itself is a sealed audit event).
 */
export const auditPurgedEntries = pgTable(
  "audit_purged_entries",
  {
    entryId: bigint("entry_id", { mode: "number" }).primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    checkpointSeq: bigint("checkpoint_seq", { mode: "number" }).notNull(),
    hash: text("hash").notNull(),
    purgedAt: timestamp("purged_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_purged_entries_checkpoint_idx").on(t.tenantId, t.checkpointSeq, t.entryId)],
);
