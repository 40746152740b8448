import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenants, users } from "./tenants";

// The built-in sandbox authorizer: a separate trust domain that happens to live in the same
// database. Nothing here is read by lib/gateway; the gateway reaches it over HTTP like any other.

/** The sandbox's own Ed25519 keys: the private half sealed (lib/crypto/secret-box), bound to its keyId. */
export const sandboxSigningKeys = pgTable("sandbox_signing_keys", {
  keyId: text("key_id").primaryKey(),
  publicKey: text("public_key").notNull(),
  privateKeyCiphertext: text("private_key_ciphertext").notNull(),
  privateKeyKeyVersion: text("private_key_key_version").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp("retired_at", { withTimezone: true }),
});

export interface SandboxSpPublicKey {
  keyId: string;
  algorithm: "ed25519";
  publicKey: string;
}

/** One ordered policy rule: a CEL condition over the flattened request and what it decides. */
export interface SandboxPolicyRule {
  name: string;
  when: string;
  outcome: "approve" | "deny" | "review";
  /** For `review`: distinct approvals required (dual authorization = 2). */
  quorum?: number;
}

/**
 * An SP registered with the sandbox. `tenantId` owns it: that tenant's members are its reviewers.
 * `spId` is global, because it is how an SP names itself to this authorizer.
 */
export const sandboxRegistrations = pgTable(
  "sandbox_registrations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    spId: text("sp_id").notNull(),
    name: text("name").notNull(),
    publicKeys: jsonb("public_keys").$type<SandboxSpPublicKey[]>().notNull(),
    /** Callback URLs must match: `*` stands for one path segment (no `/`, `?` or `#`). */
    callbackUrlPattern: text("callback_url_pattern"),
    policyRules: jsonb("policy_rules").$type<SandboxPolicyRule[]>().notNull().default([]),
    rateLimitPerSecond: integer("rate_limit_per_second").notNull().default(20),
    rateLimitBurst: integer("rate_limit_burst").notNull().default(40),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sandbox_registrations_sp_id_uq").on(t.spId),
    index("sandbox_registrations_tenant_id_idx").on(t.tenantId),
  ],
);

export const sandboxRequestStatus = pgEnum("sandbox_request_status", [
  "pending",
  "approved",
  "denied",
  "expired",
  "cancelled",
]);

/** A request the sandbox received, with the exact signed payload and what became of it. */
export const sandboxRequests = pgTable(
  "sandbox_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => sandboxRegistrations.id, { onDelete: "cascade" }),
    spId: text("sp_id").notNull(),
    requestId: text("request_id").notNull(),
    /** base64 of the exact bytes the SP signed, and the envelope as received. */
    payload: text("payload").notNull(),
    envelope: jsonb("envelope").notNull(),
    summary: text("summary").notNull(),
    actionType: text("action_type").notNull(),
    actionCategory: text("action_category"),
    principal: jsonb("principal").notNull(),
    action: jsonb("action").notNull(),
    callbackUrl: text("callback_url"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    status: sandboxRequestStatus("status").notNull().default("pending"),
    policyRule: text("policy_rule"),
    requiredApprovals: integer("required_approvals").notNull().default(1),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionReason: text("decision_reason"),
    decisionEnvelope: jsonb("decision_envelope"),
    /** The SP's answer to the callback: `success` or `error`, with its text. */
    executionStatus: text("execution_status"),
    executionError: text("execution_error"),
    executionReportedAt: timestamp("execution_reported_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("sandbox_requests_sp_request_uq").on(t.spId, t.requestId),
    index("sandbox_requests_tenant_status_idx").on(t.tenantId, t.status),
    index("sandbox_requests_pending_expiry_idx")
      .on(t.expiresAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);

export const sandboxVerdict = pgEnum("sandbox_verdict", ["approve", "deny"]);

/** One reviewer's verdict; a reviewer counts once per request. */
export const sandboxReviews = pgTable(
  "sandbox_reviews",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sandboxRequestId: uuid("sandbox_request_id")
      .notNull()
      .references(() => sandboxRequests.id, { onDelete: "cascade" }),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reviewerName: text("reviewer_name").notNull(),
    reviewerEmail: text("reviewer_email").notNull(),
    verdict: sandboxVerdict("verdict").notNull(),
    reason: text("reason").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("sandbox_reviews_one_per_reviewer_uq").on(t.sandboxRequestId, t.userId)],
);

export const sandboxDeliveryStatus = pgEnum("sandbox_delivery_status", ["pending", "delivered", "failed"]);

/** Durable delivery of a decision to the SP's callback URL: rows, not timers. */
export const sandboxDeliveries = pgTable(
  "sandbox_deliveries",
  {
    sandboxRequestId: uuid("sandbox_request_id")
      .primaryKey()
      .references(() => sandboxRequests.id, { onDelete: "cascade" }),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    callbackUrl: text("callback_url").notNull(),
    status: sandboxDeliveryStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    index("sandbox_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);

export type SandboxSigningKey = typeof sandboxSigningKeys.$inferSelect;
export type SandboxRegistration = typeof sandboxRegistrations.$inferSelect;
export type SandboxRequest = typeof sandboxRequests.$inferSelect;
export type SandboxReview = typeof sandboxReviews.$inferSelect;
export type SandboxDelivery = typeof sandboxDeliveries.$inferSelect;
