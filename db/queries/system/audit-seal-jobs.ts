import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditEvents, jobs, requestEvents } from "@/db/schema";

// Deliberately cross-tenant: the worker finds which tenants have audit entries waiting for a seal
// and queues one seal job each. It reads tenant ids only (from the small unsealed partial indexes).

/** The seal job's request_id: one open seal job per tenant (the jobs dedupe key has no tenant). */
export const sealJobKey = (tenantId: string) => `audit-seal:${tenantId}`;

/** Queues a seal job for every tenant with unsealed entries; returns how many were queued. */
export async function enqueueDueSealJobs(db: Database): Promise<number> {
  const result = (await db.execute(sql`
    insert into ${jobs} (tenant_id, kind, request_id, target)
    select t.tenant_id, 'seal', 'audit-seal:' || t.tenant_id::text, ''
    from (select distinct tenant_id from ${requestEvents} where checkpoint_seq is null
          union select distinct tenant_id from ${auditEvents} where checkpoint_seq is null) t
    on conflict (kind, request_id, target) do nothing
    returning id`)) as unknown as { rows: unknown[] };
  return result.rows.length;
}
