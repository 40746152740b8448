import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizationRequests, jobs, tenantSettings } from "@/db/schema";

// Deliberately cross-tenant: the worker queues one purge job for each tenant that set a retention
// period and has a request older than it. It reads tenant ids and settings only.

/** The purge job's request_id: one open purge job per tenant. */
export const purgeJobKey = (tenantId: string) => `audit-purge:${tenantId}`;

export async function enqueueDuePurgeJobs(db: Database): Promise<number> {
  const result = (await db.execute(sql`
    insert into ${jobs} (tenant_id, kind, request_id, target)
    select s.tenant_id, 'purge', 'audit-purge:' || s.tenant_id::text, '' from ${tenantSettings} s
    where s.retention_days is not null and exists (select 1 from ${authorizationRequests} r
      where r.tenant_id = s.tenant_id and r.created_at < now() - make_interval(days => s.retention_days) and r.status <> 'pending')
    on conflict (kind, request_id, target) do nothing
    returning id`)) as unknown as { rows: unknown[] };
  return result.rows.length;
}
