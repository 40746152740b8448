import { asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizers, type Authorizer } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { forTenant } from "./tenant-scope";

// The authorizer rows as the gateway's pipeline uses them (keys and endpoints included); the
// console's views and their changes are in authorizers.ts.

/** Every authorizer of the tenant, oldest first (the order routing's fallback relies on). */
export function listAuthorizerRows(db: Database, ctx: TenantContext): Promise<Authorizer[]> {
  return db.select().from(authorizers).where(forTenant(ctx, authorizers.tenantId)).orderBy(asc(authorizers.createdAt));
}

/** An authorizer's name (e.g. the decider a webhook names), or null. */
export async function getAuthorizerName(db: Database, ctx: TenantContext, authorizerId: string) {
  const [row] = await db
    .select({ name: authorizers.name })
    .from(authorizers)
    .where(forTenant(ctx, authorizers.tenantId, eq(authorizers.id, authorizerId)));
  return row?.name ?? null;
}
