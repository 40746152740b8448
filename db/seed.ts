import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizers, memberships, sandboxRegistrations, tenants, users } from "@/db/schema";
import { createApiKey } from "@/db/queries/api-keys";
import { createSigningKey } from "@/db/queries/signing-keys";
import { hashPassword } from "@/lib/auth/password";
import { issueTenantContext } from "@/lib/auth/tenant-context";
import { connectSandboxAuthorizer, SANDBOX_AUTHORIZER_NAME } from "@/lib/sandbox/connect";

export const demoTenantSlug = "acme";
export const demoOwnerEmail = "owner@acme.example";

export interface DemoCredentials {
  tenantId: string;
  email: string;
  password: string;
  apiKey: string;
}

/**
 * Seeds the demo tenant "Acme" with an owner and an all-scopes API key, once. Returns the
 * credentials when it created them, null when the tenant already existed (idempotent: secrets are
 * never re-issued or re-printed).
 */
export async function seedDemoTenant(db: Database): Promise<DemoCredentials | null> {
  const password = randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);
  const created = await db.transaction(async (tx) => {
    const [tenant] = await tx
      .insert(tenants)
      .values({ name: "Acme", slug: demoTenantSlug })
      .onConflictDoNothing()
      .returning();
    if (!tenant) return null;
    const [existingUser] = await tx.select().from(users).where(eq(users.email, demoOwnerEmail));
    const [user] = existingUser
      ? [existingUser]
      : await tx.insert(users).values({ email: demoOwnerEmail, name: "Alex Owner", passwordHash }).returning();
    if (!user) throw new Error("could not create the demo owner");
    await tx.insert(memberships).values({ tenantId: tenant.id, userId: user.id, role: "owner" });
    // The seeder acts as the system on the tenant it just created.
    const ctx = issueTenantContext(tenant.id, { type: "user", userId: user.id, role: "owner" });
    await createSigningKey(tx, ctx);
    const { secret } = await createApiKey(tx, ctx, {
      name: "Demo key (all scopes)",
      scopes: ["requests:write", "requests:read", "admin"],
      createdBy: user.id,
    });
    return {
      tenantId: tenant.id,
      email: user.email,
      password: existingUser ? "(unchanged)" : password,
      apiKey: secret,
    };
  });
  await seedDemoSandbox(db);
  return created;
}

/**
 * Connects the demo tenant to the built-in sandbox authorizer as its default, once (also for a
 * demo tenant seeded before the sandbox existed). Its members, the owner included, are the
 * sandbox's reviewers for Acme's requests.
 */
export async function seedDemoSandbox(db: Database): Promise<boolean> {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.slug, demoTenantSlug));
  if (!tenant) return false;
  const [registered] = await db
    .select({ id: sandboxRegistrations.id })
    .from(sandboxRegistrations)
    .where(eq(sandboxRegistrations.tenantId, tenant.id));
  const [listed] = await db
    .select({ id: authorizers.id })
    .from(authorizers)
    .where(and(eq(authorizers.tenantId, tenant.id), eq(authorizers.name, SANDBOX_AUTHORIZER_NAME)));
  if (registered && listed) return false;
  const [owner] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenant.id), eq(memberships.role, "owner")))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  if (!owner) return false;
  // The seeder acts for the demo tenant's owner, as when it created the tenant.
  const ctx = issueTenantContext(tenant.id, { type: "user", userId: owner.userId, role: "owner" });
  await connectSandboxAuthorizer(db, ctx, { makeDefault: true });
  return true;
}
