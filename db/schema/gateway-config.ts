import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { tenants, users } from "./tenants";

export const signingKeyState = pgEnum("signing_key_state", ["next", "active", "retired"]);

/**
 * The tenant's Ed25519 keys. Every key that is not retired signs, so a rotation is: create a
 * `next` key (requests now carry two signatures), activate it, and later retire the old one.
 */
export const signingKeys = pgTable(
  "signing_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    keyId: text("key_id").notNull(),
    publicKey: text("public_key").notNull(),
    /** AES-256-GCM of the PKCS#8 private key (lib/crypto/secret-box), bound to tenant and keyId. */
    privateKeyCiphertext: text("private_key_ciphertext").notNull(),
    privateKeyKeyVersion: text("private_key_key_version").notNull(),
    state: signingKeyState("state").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    activatedAt: timestamp("activated_at", { withTimezone: true }),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("signing_keys_tenant_key_id_uq").on(t.tenantId, t.keyId),
    // At most one rotation in flight per tenant, enforced by the database.
    uniqueIndex("signing_keys_one_next_uq")
      .on(t.tenantId)
      .where(sql`${t.state} = 'next'`),
  ],
);

export interface AuthorizerPublicKey {
  keyId: string;
  algorithm: "ed25519";
  publicKey: string;
}

/** External StepAuth authorizers of a tenant. `id` is opaque and names the callback URL. */
export const authorizers = pgTable(
  "authorizers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    endpoint: text("endpoint").notNull(),
    spId: text("sp_id").notNull(),
    /** The tenant keyId this authorizer has registered (shown during rotations); every unretired key signs. */
    signingKeyId: text("signing_key_id"),
    publicKeys: jsonb("public_keys").$type<AuthorizerPublicKey[]>().notNull(),
    isDefault: boolean("is_default").notNull().default(false),
    enabled: boolean("enabled").notNull().default(true),
    /** For authorizers that cannot reach our callback: poll for decisions instead. */
    pollOnly: boolean("poll_only").notNull().default(false),
    /**
     * Tenant keyIds this authorizer has been shown to accept: a test request signed by that key alone
     * succeeded, or (the built-in sandbox) its registration holds the key. Retiring a key is refused
     * while an enabled authorizer is proven on none of the keys that remain.
     */
    /**
     * Set when the authorizer answered a result report with 404/405/501 without the `unknown_request`
     * code (PROTOCOL.md "Result report"): it does not implement them and is not asked again.
     */
    resultReportsUnsupportedAt: timestamp("result_reports_unsupported_at", { withTimezone: true }),
    provenKeyIds: text("proven_key_ids")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("authorizers_tenant_name_uq").on(t.tenantId, t.name),
    uniqueIndex("authorizers_one_default_uq")
      .on(t.tenantId)
      .where(sql`${t.isDefault}`),
    index("authorizers_tenant_id_idx").on(t.tenantId),
  ],
);

export const unavailabilityPolicy = pgEnum("unavailability_policy", ["fail_closed", "fail_open"]);

export interface StoredRetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  factor: number;
  attemptTimeoutMs: number;
}

/** One row per tenant: routing, unavailability policy, retries, lifetimes, the service webhook. */
export const tenantSettings = pgTable("tenant_settings", {
  tenantId: uuid("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  routingScript: text("routing_script"),
  unavailabilityPolicy: unavailabilityPolicy("unavailability_policy").notNull().default("fail_closed"),
  failOpenSetBy: uuid("fail_open_set_by").references(() => users.id, { onDelete: "set null" }),
  failOpenSetByApiKey: uuid("fail_open_set_by_api_key"),
  failOpenSetAt: timestamp("fail_open_set_at", { withTimezone: true }),
  retryPolicy: jsonb("retry_policy").$type<StoredRetryPolicy>(),
  defaultExpiresIn: integer("default_expires_in").notNull().default(1800),
  publicBaseUrl: text("public_base_url"),
  /** How long after an approval its execution may be claimed (never past the request's expiresAt). */
  executionWindowSeconds: integer("execution_window_seconds").notNull().default(600),
  webhookUrl: text("webhook_url"),
  webhookSecretCiphertext: text("webhook_secret_ciphertext"),
  webhookSecretKeyVersion: text("webhook_secret_key_version"),
  /** After a rotation the replaced secret keeps signing too (a second signature) until this moment. */
  webhookPreviousSecretCiphertext: text("webhook_previous_secret_ciphertext"),
  webhookPreviousSecretKeyVersion: text("webhook_previous_secret_key_version"),
  webhookPreviousSecretExpiresAt: timestamp("webhook_previous_secret_expires_at", { withTimezone: true }),
  /** Finished requests older than this many days are purged by the `purge` job; null keeps everything. */
  retentionDays: integer("retention_days"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type SigningKey = typeof signingKeys.$inferSelect;
export type Authorizer = typeof authorizers.$inferSelect;
export type TenantSettings = typeof tenantSettings.$inferSelect;
