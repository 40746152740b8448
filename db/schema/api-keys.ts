import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants, users } from "./tenants";

export const apiKeyScopes = ["requests:write", "requests:read", "admin"] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** First characters of the secret, shown so a key can be recognised; unique so it can be looked up. */
    prefix: text("prefix").notNull().unique(),
    /** SHA-256 of the whole secret (hex). The secret has 192 bits of entropy, so a slow KDF adds nothing. */
    secretHash: text("secret_hash").notNull(),
    scopes: text("scopes").array().$type<ApiKeyScope[]>().notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_keys_tenant_id_idx").on(t.tenantId)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
