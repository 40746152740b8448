import { desc } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { actorLabel, type TenantContext } from "@/lib/auth/tenant-context";
import { forTenant, tenantIdOf } from "./tenant-scope";

/** Records a configuration change; call it with the transaction that makes the change. */
export async function recordAuditEvent(
  db: Database,
  ctx: TenantContext,
  event: { action: string; target?: string; data?: Record<string, unknown> },
): Promise<void> {
  await db.insert(auditEvents).values({ tenantId: tenantIdOf(ctx), actor: actorLabel(ctx), ...event });
}

export async function listAuditEvents(db: Database, ctx: TenantContext, limit = 100) {
  return db.select().from(auditEvents).where(forTenant(ctx, auditEvents.tenantId)).orderBy(desc(auditEvents.createdAt)).limit(limit);
}
