import { randomBytes } from "node:crypto";
import type { Database } from "@/db/client";
import { tenants, type Tenant } from "@/db/schema";

// Creating a tenant is the one write that cannot be tenant-scoped: the tenant does not exist yet.
// Callers (lib/auth/onboarding.ts) issue its first TenantContext right after.

/** A readable, unique slug: the name's letters and digits plus a random suffix. */
function slugFor(name: string): string {
  const base = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return `${base || "tenant"}-${randomBytes(4).toString("hex")}`;
}

export async function insertTenant(db: Database, name: string): Promise<Tenant> {
  const [tenant] = await db
    .insert(tenants)
    .values({ name, slug: slugFor(name) })
    .returning();
  if (!tenant) throw new Error("tenant insert returned nothing");
  return tenant;
}
