import { and, inArray, ne } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizationRequests } from "@/db/schema";

/**
 * Deliberately batched across tenants: one query per tick serves every long-poll waiting in this
 * process (lib/gateway/long-poll.ts). Each id comes with the tenant its waiter authenticated as, and
 * only rows of that tenant count, so a waiter learns nothing about another tenant's request.
 */
export async function listSettledRequestIds(
  db: Database,
  waiting: readonly { tenantId: string; requestId: string }[],
): Promise<Set<string>> {
  if (waiting.length === 0) return new Set();
  const rows = await db
    .select({ requestId: authorizationRequests.requestId, tenantId: authorizationRequests.tenantId })
    .from(authorizationRequests)
    .where(
      and(
        inArray(
          authorizationRequests.requestId,
          waiting.map((w) => w.requestId),
        ),
        ne(authorizationRequests.status, "pending"),
      ),
    );
  const tenantOf = new Map(waiting.map((w) => [w.requestId, w.tenantId]));
  return new Set(rows.filter((r) => tenantOf.get(r.requestId) === r.tenantId).map((r) => r.requestId));
}
