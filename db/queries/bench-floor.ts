import { sql } from "drizzle-orm";
import { authorizationRequests } from "@/db/schema";
import { tenantStatement } from "@/db/statement";
import { sameTenant } from "./tenant-scope";

// The honest floor of `npm run bench` (lib/gateway/bench-floor.ts): the one insert and the one update
// a submit cannot do without, as prepared statements like the submit's own. Bench-only; never on a live path.

/** Records the request row as a submit does (a pending request; no targets, events or jobs). */
export const insertFloorRequest = tenantStatement<{
  requestId: string;
  bodyHash: string;
  principal: string;
  action: string;
  principalType: string;
  actionType: string;
  summary: string;
  routingTargets: string[];
  expiresAt: string;
}>(
  "bench_floor_insert",
  (p) => sql`
  insert into ${authorizationRequests} (request_id, tenant_id, body_hash, status, principal, action, principal_type, action_type, summary,
    routing_targets, expires_at)
  values (${p.requestId}, ${p.tenantId}, ${p.bodyHash}, 'pending', ${p.principal}::jsonb, ${p.action}::jsonb, ${p.principalType}, ${p.actionType},
    ${p.summary}, ${p.routingTargets}::text[], ${p.expiresAt}::timestamptz)`,
);

/** Records the authorizer's answer on the row: still pending, or its decision with the envelope as received. */
export const recordFloorAnswer = tenantStatement<{ requestId: string; status: string; envelope: string | null }>(
  "bench_floor_update",
  (p) => sql`
  update ${authorizationRequests} set status = ${p.status}::request_status, decision_envelope = ${p.envelope}::jsonb,
    decided_at = case when ${p.status}::text = 'pending' then null else now() end
  where request_id = ${p.requestId} and ${sameTenant(authorizationRequests.tenantId, p.tenantId)}`,
);
