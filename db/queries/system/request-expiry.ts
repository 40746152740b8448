import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizationRequests } from "@/db/schema";
import { executeRows } from "@/db/statement";
import { markRowsRead } from "../system-rows";

// Deliberately cross-tenant: the expiry sweep ends every tenant's requests still pending past their
// expiresAt. It only finds them; each is ended by the finalize statement (expiry condition) in a
// context minted for the tenant of the row found here (lib/auth's expiryContext).

/** A request still pending past its expiresAt, as found by findOverdueRequests. */
export interface OverdueRequest {
  tenantId: string;
  requestId: string;
}

/**
 * Up to `limit` requests still pending past their expiresAt, fair across tenants: each tenant's are
 * ranked oldest first and every tenant's first comes before anyone's second, so one tenant's backlog
 * does not hold another's expiry back. Reads only the overdue entries of the partial index
 * authorization_requests_undecided_expiry_idx (none, most of the time).
 */
export async function findOverdueRequests(db: Database, limit: number): Promise<OverdueRequest[]> {
  const r = authorizationRequests;
  const rows = await executeRows<{ tenant_id: string; request_id: string }>(
    db,
    sql`select tenant_id, request_id from (
      select ${r.tenantId} as tenant_id, ${r.requestId} as request_id, ${r.expiresAt} as expires_at,
        row_number() over (partition by ${r.tenantId} order by ${r.expiresAt}, ${r.requestId}) as turn
      from ${r} where ${r.decidedAt} is null and ${r.expiresAt} <= now() and ${r.status} = 'pending'
    ) overdue order by turn, expires_at limit ${limit}`,
  );
  // Only such rows may be ended for their tenant (lib/auth's expiryContext): see system-rows.ts.
  return markRowsRead(rows.map((row) => ({ tenantId: row.tenant_id, requestId: row.request_id })));
}
