import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { authorizers } from "./gateway-config";
import { tenants } from "./tenants";

export const requestStatus = pgEnum("request_status", ["pending", "approved", "denied", "expired", "cancelled"]);
export type RequestStatus = (typeof requestStatus.enumValues)[number];

/** One sensitive action awaiting (or past) review. `request_id` is the protocol's requestId. */
export const authorizationRequests = pgTable(
  "authorization_requests",
  {
    requestId: text("request_id").primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    externalId: text("external_id"),
    idempotencyKey: text("idempotency_key"),
    /** SHA-256 of the submitted body, to tell a replay from a reuse of the Idempotency-Key. */
    bodyHash: text("body_hash").notNull(),
    status: requestStatus("status").notNull().default("pending"),
    /** Why a final status was reached without a signed decision (e.g. `authorizer_unavailable`). */
    statusReason: text("status_reason"),
    failOpen: boolean("fail_open").notNull().default(false),
    principal: jsonb("principal").notNull(),
    action: jsonb("action").notNull(),
    principalType: text("principal_type").notNull(),
    actionType: text("action_type").notNull(),
    actionCategory: text("action_category"),
    summary: text("summary").notNull(),
    routingTargets: text("routing_targets").array().notNull(),
    /** The authorizers it was sent to (its request_targets), by id: the console's authorizer filter, in the GIN index below. */
    targetAuthorizerIds: uuid("target_authorizer_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    routingFallbackReason: text("routing_fallback_reason"),
    routingError: text("routing_error"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    // Millisecond precision, so the keyset cursor (a JS Date) names a row exactly.
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionAuthorizerId: uuid("decision_authorizer_id"),
    decisionKeyId: text("decision_key_id"),
    decisionReason: text("decision_reason"),
    decisionReviewers: jsonb("decision_reviewers"),
    /** How the winning decision arrived: callback, poll, submit, routing, unavailability, expiry, cancel. */
    decisionSource: text("decision_source"),
    /** The signed decision as received: the proof of authorization. Never logged. */
    decisionEnvelope: jsonb("decision_envelope"),
    /** For an approval: claims of its execution are refused from this moment (the execution window). */
    executionClosesAt: timestamp("execution_closes_at", { withTimezone: true }),
  },
  (t) => [
    index("authorization_requests_tenant_created_idx").on(t.tenantId, t.createdAt, t.requestId),
    // Only requests sent with an Idempotency-Key: one without has nothing to find here (0015).
    uniqueIndex("authorization_requests_idempotency_uq")
      .on(t.tenantId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    // The expiry sweep's (db/queries/system/request-expiry.ts): undecided requests by expiry, so the
    // overdue ones are its first entries, and a request leaves it when it ends (every final status sets
    // decided_at). Partial on decided_at, not on status: no hot statement's condition implies it, so no
    // generic plan can read a request through it (with `status = 'pending'`, every finalize statement's
    // did, on a new database: tests/db/statement-plans.test.ts).
    index("authorization_requests_undecided_expiry_idx")
      .on(t.expiresAt)
      .where(sql`${t.decidedAt} is null`),
    // The console's filters and text search, in one GIN index (btree_gin for the equality columns,
    // pg_trgm for `ilike '%…%'`): a filter or combination matching few rows, or none, is answered from
    // the index by intersecting its keys; a common one walks the list above newest-first instead.
    // One index, not one per filter: a decision rewrites the row (non-HOT), so every index costs there.
    index("authorization_requests_filters_gin_idx").using(
      "gin",
      t.status,
      t.principalType,
      t.actionType,
      t.actionCategory,
      t.failOpen,
      t.targetAuthorizerIds,
      sql`${t.summary} gin_trgm_ops`,
      sql`${t.externalId} gin_trgm_ops`,
    ),
  ],
);

export const targetState = pgEnum("target_state", ["queued", "pending", "decided", "failed", "cancelled"]);

/** Each authorizer a request was routed to, with the exact payload bytes signed for it. */
export const requestTargets = pgTable(
  "request_targets",
  {
    // No foreign key to the request (0017): targets are written only in the statement that inserts
    // their request, and the key's check locked that row; the retention purge deletes them with it.
    requestId: text("request_id").notNull(),
    authorizerId: uuid("authorizer_id")
      .notNull()
      .references(() => authorizers.id, { onDelete: "cascade" }),
    // No foreign key to tenants (0013) nor to the request (0017): the statements write the request's tenant.
    tenantId: uuid("tenant_id").notNull(),
    spId: text("sp_id").notNull(),
    payload: text("payload").notNull(),
    state: targetState("state").notNull().default("queued"),
    lastError: text("last_error"),
    pollCount: integer("poll_count").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.requestId, t.authorizerId] }),
    index("request_targets_tenant_id_idx").on(t.tenantId),
  ],
);

/**
 * The timeline events that tell how an authorizer is doing (the console's authorizer health), and the
 * only ones request_events_authorizer_outcomes_idx holds: a pending submit writes three events, one of them here.
 */
export const authorizerOutcomeEventTypes = [
  "authorizer_attempt",
  "decision_accepted",
  "decision_refused",
  "submit_failed",
] as const;
/** `type in (…those…)` as SQL literals, so the index's predicate provably follows from a query's condition. */
export const isAuthorizerOutcomeEvent = sql.raw(
  `type in (${authorizerOutcomeEventTypes.map((type) => `'${type}'`).join(", ")})`,
);

/** Append-only audit trail per request, written in the same transaction as the change it records. */
export const requestEvents = pgTable(
  "request_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    // No foreign key to tenants (0013), nor to the request (0017): every statement that writes an event
    // selects its request (of the caller's tenant) in the same statement, and a key's check locked the
    // request row once per statement. The retention purge deletes a request's events with it, and an
    // append to a request that may be closed locks its row itself (db/queries/request-events.ts).
    tenantId: uuid("tenant_id").notNull(),
    requestId: text("request_id").notNull(),
    type: text("type").notNull(),
    authorizerId: uuid("authorizer_id"),
    data: jsonb("data").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Set by the sealing job, never by the write path (see lib/audit-chain/entry-hash.ts): null until sealed.
    hash: text("hash"),
    prevHash: text("prev_hash"),
    checkpointSeq: bigint("checkpoint_seq", { mode: "number" }),
  },
  (t) => [
    index("request_events_request_idx").on(t.requestId, t.id),
    // The authorizer health view's (db/queries/authorizer-health.ts): only the events it counts (0016).
    index("request_events_authorizer_outcomes_idx").on(t.tenantId, t.createdAt).where(isAuthorizerOutcomeEvent),
    // Partial both ways: a fresh row enters only the small unsealed index, sealing moves it to the other.
    index("request_events_unsealed_idx")
      .on(t.tenantId, t.id)
      .where(sql`checkpoint_seq is null`),
    index("request_events_sealed_idx")
      .on(t.tenantId, t.checkpointSeq, t.id)
      .where(sql`checkpoint_seq is not null`),
  ],
);

export const executionStatus = pgEnum("execution_status", ["executing", "succeeded", "failed"]);

/**
 * At most one row per request: inserting it is the claim to execute. The primary key is what
 * makes a second claim impossible, whatever races.
 */
export const executions = pgTable(
  "executions",
  {
    requestId: text("request_id")
      .primaryKey()
      .references(() => authorizationRequests.requestId, { onDelete: "cascade" }),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** How the execution was claimed: `api` (the claim API), `webhook` (a webhook answer with no claim before it), `window_closed`. */
    channel: text("channel").notNull(),
    status: executionStatus("status").notNull().default("executing"),
    error: text("error"),
    claimedAt: timestamp("claimed_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** When the deciding authorizer learnt the result: in the callback's answer or by a result report. */
    resultReportedAt: timestamp("result_reported_at", { withTimezone: true }),
    /** `callback`, `result_report`, or `unsupported` (the authorizer does not implement result reports). */
    resultReportedVia: text("result_reported_via"),
  },
  (t) => [index("executions_tenant_id_idx").on(t.tenantId)],
);

export const deliveryStatus = pgEnum("delivery_status", ["pending", "delivered", "failed"]);

/** The service-webhook delivery of a request's final state (execute or notify-only). */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    requestId: text("request_id")
      .primaryKey()
      .references(() => authorizationRequests.requestId, { onDelete: "cascade" }),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    execute: boolean("execute").notNull(),
    status: deliveryStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_deliveries_tenant_status_idx").on(t.tenantId, t.status)],
);

export type AuthorizationRequestRow = typeof authorizationRequests.$inferSelect;
export type RequestTarget = typeof requestTargets.$inferSelect;
export type RequestEvent = typeof requestEvents.$inferSelect;
export type Execution = typeof executions.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
