import { randomBytes } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import { closeDb, getDatabaseHandle, getDb, type Database } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { memberships, tenants, users, type MemberRole } from "@/db/schema";
import { createApiKey } from "@/db/queries/api-keys";
import { hashPassword } from "@/lib/auth/password";
import type { ApiKeyScope } from "@/db/schema";
import { issueTenantContext } from "@/lib/auth/tenant-context";

/**
 * Gives a test file the real process database: an in-memory PGlite migrated here, or the
 * TEST_DATABASE_URL server (migrated by the global setup). Tests create their own tenants with
 * random names, so files can share one server database.
 */
export function setupTestDatabase(): () => Database {
  beforeAll(async () => {
    const handle = getDatabaseHandle();
    if (handle.driver === "pglite") await runMigrations(handle);
  });
  afterAll(async () => closeDb());
  return getDb;
}

/** The rows of a raw SQL query, typed by the caller (tests that read tables directly). */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

export const unique = (prefix: string) => `${prefix}-${randomBytes(6).toString("hex")}`;

export interface TestTenant {
  tenantId: string;
  owner: { id: string; email: string; password: string };
  apiKey: string;
}

/** A tenant with an owner (known password) and an API key with the given scopes. */
export async function createTestTenant(
  db: Database,
  scopes: ApiKeyScope[] = ["requests:write", "requests:read", "admin"],
): Promise<TestTenant> {
  const slug = unique("tenant");
  const [tenant] = await db.insert(tenants).values({ name: slug, slug }).returning();
  if (!tenant) throw new Error("no tenant");
  const owner = await createTestUser(db, tenant.id, "owner");
  const ctx = issueTenantContext(tenant.id, { type: "user", userId: owner.id, role: "owner" });
  const { secret } = await createApiKey(db, ctx, { name: "test key", scopes });
  return { tenantId: tenant.id, owner, apiKey: secret };
}

export async function createTestUser(db: Database, tenantId: string, role: MemberRole) {
  const email = `${unique(role)}@example.test`;
  const password = `pw-${randomBytes(8).toString("hex")}`;
  const [user] = await db
    .insert(users)
    .values({ email, name: `Test ${role}`, passwordHash: await hashPassword(password) })
    .returning();
  if (!user) throw new Error("no user");
  await db.insert(memberships).values({ tenantId, userId: user.id, role });
  return { id: user.id, email, password };
}
