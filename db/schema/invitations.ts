import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { memberRole, tenants, users } from "./tenants";

/**
 * An owner's offer of a role to an e-mail address. Admins never set another person's password: the
 * invitee sets their own (new account) or accepts while signed in as that account (existing one).
 */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Lower-cased, like users.email. */
    email: text("email").notNull(),
    role: memberRole("role").notNull(),
    /** SHA-256 (base64url) of the link's random token; the token itself is shown once and never stored. */
    tokenHash: text("token_hash").notNull().unique(),
    /** Null when an operator created it (`npm run tenant:create`). */
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("invitations_tenant_id_idx").on(t.tenantId)],
);

export type Invitation = typeof invitations.$inferSelect;
