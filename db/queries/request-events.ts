import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizationRequests, requestEvents } from "@/db/schema";
import { tenantStatement } from "@/db/statement";
import type { TenantContext } from "@/lib/auth/tenant-context";
import type { AttemptReport } from "@/lib/stepauth";
import { sameTenant } from "./tenant-scope";

// A request's timeline: append-only events, written in the same statement or transaction as the change they record.

/** The event types of a request's timeline (data, so the console can label them). */
export const requestEventTypes = [
  "received",
  "routing_evaluated",
  "authorizer_attempt",
  "submitted",
  "submit_failed",
  "submit_deferred",
  "submit_discarded",
  "decision_accepted",
  "decision_refused",
  "decision_duplicate",
  "decided_without_authorizer",
  "fail_open_executed",
  "cancel_requested",
  "cancelled",
  "cancel_sent",
  "expired",
  "execution_claimed",
  "execution_reported",
  "execution_refused",
  "execution_window_closed",
  "result_reported",
  "result_report_failed",
  "result_reports_unsupported",
  "result_report_skipped",
  "webhook_delivery",
  "webhook_delivered",
  "webhook_failed",
] as const;
export type RequestEventType = (typeof requestEventTypes)[number];

export interface NewRequestEvent {
  type: RequestEventType;
  authorizerId?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Events as the one-statement writes take them: a JSON array for `jsonb_to_recordset(… as e(ord int,
 * type text, authorizer_id uuid, data jsonb))`, `ord` keeping their order.
 */
export function eventsJson(events: NewRequestEvent[]): string {
  return storableJson(
    JSON.stringify(
      events.map((e, ord) => ({ ord, type: e.type, authorizer_id: e.authorizerId ?? null, data: e.data ?? null })),
    ),
  );
}

// An escaped NUL (\u0000) not itself preceded by an escaping backslash.
const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;

/**
 * JSON text that PostgreSQL's jsonb accepts: jsonb cannot hold U+0000, and an event may carry text a
 * peer chose (an authorizer's error code, say), which would otherwise fail the whole write — and with
 * it, in a batched write, other requests' events. U+0000 becomes U+FFFD; nothing else changes, and
 * text without it is returned as it is (one scan).
 */
export function storableJson(json: string): string {
  return json.includes("\\u0000") ? json.replace(ESCAPED_NUL, "$1\\ufffd") : json;
}

// Only under a request of the caller's tenant: another tenant's request id writes nothing. The request
// row is locked FOR KEY SHARE (as a foreign key's check did until 0017): these events may come to a
// request closed long ago (a late callback, a refused claim), and the retention purge, which locks what
// it deletes FOR UPDATE SKIP LOCKED, then skips it; a purge that locked it first makes this write nothing.
const appendStatement = tenantStatement<{ requestId: string; events: string }>(
  "append_request_events",
  (p) => sql`
  insert into ${requestEvents} (tenant_id, request_id, type, authorizer_id, data)
  select ${p.tenantId}, r.request_id, e.type, e.authorizer_id, e.data
  from ${authorizationRequests} r, jsonb_to_recordset(${p.events}::jsonb) as e(ord int, type text, authorizer_id uuid, data jsonb)
  where r.request_id = ${p.requestId} and ${sameTenant(sql`r.tenant_id`, p.tenantId)}
  order by e.ord
  for key share of r`,
);

/** Appends events to a request's timeline; call it inside the transaction that makes the change. */
export async function appendRequestEvents(
  db: Database,
  ctx: TenantContext,
  requestId: string,
  events: NewRequestEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await appendStatement(db, ctx, { requestId, events: eventsJson(events) });
}

/** One authorizer attempt as a timeline event (status and latency, never the envelope). */
export function attemptEvent(authorizerId: string, report: AttemptReport): NewRequestEvent {
  const { call, attempt, outcome, status, errorCode, cause, latencyMs, willRetry, delayMs } = report;
  return {
    type: "authorizer_attempt",
    authorizerId,
    data: { call, attempt, outcome, status, errorCode, cause, latencyMs: Math.round(latencyMs), willRetry, delayMs },
  };
}
