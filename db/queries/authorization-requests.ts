import { asc, desc, eq, gte, ilike, lte, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  authorizationRequests,
  authorizers,
  executions,
  requestEvents,
  requestTargets,
  webhookDeliveries,
  type AuthorizationRequestRow,
  type Execution,
  type RequestEvent,
  type WebhookDelivery,
} from "@/db/schema";
import { rowFromJson } from "@/db/row-from-json";
import { executeRows, tenantStatement } from "@/db/statement";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { REQUEST_ID_PATTERN } from "@/lib/stepauth";
import { forTenant, sameTenant } from "./tenant-scope";

// A request's view, read in one query (plus one for the timeline); its authorizers in routing order,
// as the submit answer lists them. The signed decision envelope stays in the database.
const requestViewStatement = tenantStatement<{ requestId: string }>(
  "request_view",
  (p) => sql`
  select row_to_json(r) as request,
    (select coalesce(json_agg(json_build_object('authorizerId', t.authorizer_id, 'name', a.name, 'spId', t.sp_id, 'state', t.state, 'lastError', t.last_error)
        order by array_position(r.routing_targets, a.name), a.name), '[]'::json)
      from ${requestTargets} t join ${authorizers} a on a.id = t.authorizer_id where t.request_id = r.request_id) as targets,
    (select row_to_json(e) from ${executions} e where e.request_id = r.request_id) as execution,
    (select row_to_json(d) from ${webhookDeliveries} d where d.request_id = r.request_id) as delivery
  from ${authorizationRequests} r where r.request_id = ${p.requestId} and ${sameTenant(sql`r.tenant_id`, p.tenantId)}`,
);

/** What a request's view is made of; the submit path knows these without reading them back. */
export interface RequestViewParts {
  request: AuthorizationRequestRow;
  targets: { authorizerId: string; name: string; spId: string; state: string; lastError: string | null }[];
  execution: Execution | null;
  delivery: WebhookDelivery | null;
}

export async function getRequestView(
  db: Database,
  ctx: TenantContext,
  requestId: string,
  options: { events?: boolean } = {},
) {
  const [row] = await requestViewStatement<{
    request: Record<string, unknown>;
    targets: RequestViewParts["targets"];
    execution: Record<string, unknown> | null;
    delivery: Record<string, unknown> | null;
  }>(db, ctx, { requestId });
  if (!row) return null;
  const events =
    options.events === false
      ? []
      : await db
          .select()
          .from(requestEvents)
          .where(forTenant(ctx, requestEvents.tenantId, eq(requestEvents.requestId, requestId)))
          .orderBy(asc(requestEvents.id));
  return requestView(
    {
      request: rowFromJson<AuthorizationRequestRow>(authorizationRequests, row.request),
      targets: row.targets,
      execution: row.execution ? rowFromJson<Execution>(executions, row.execution) : null,
      delivery: row.delivery ? rowFromJson<WebhookDelivery>(webhookDeliveries, row.delivery) : null,
    },
    events,
  );
}

/** The request as the API and console show it, from its parts (and its timeline, when read). */
export function requestView({ request, targets, execution, delivery }: RequestViewParts, events: RequestEvent[] = []) {
  const names = new Map(targets.map((t) => [t.authorizerId, t.name]));
  return {
    ...summaryOf(request),
    principal: request.principal,
    action: request.action,
    routing: {
      targets: request.routingTargets,
      fallbackReason: request.routingFallbackReason,
      error: request.routingError,
    },
    authorizers: targets.map(({ authorizerId: _id, ...t }) => t),
    decision: request.decidedAt
      ? {
          decision: request.status === "cancelled" ? null : request.status,
          source: request.decisionSource,
          authorizer: request.decisionAuthorizerId ? (names.get(request.decisionAuthorizerId) ?? null) : null,
          keyId: request.decisionKeyId,
          reason: request.decisionReason ?? request.statusReason,
          reviewers: request.decisionReviewers,
          signed: request.decisionKeyId !== null,
          decidedAt: request.decidedAt,
        }
      : null,
    execution: {
      ...(execution
        ? {
            state: execution.status,
            channel: execution.channel,
            error: execution.error,
            claimedAt: execution.claimedAt,
            finishedAt: execution.finishedAt,
            resultReportedAt: execution.resultReportedAt,
            resultReportedVia: execution.resultReportedVia,
          }
        : { state: request.status === "approved" ? "awaiting_claim" : "not_applicable" }),
      // Claims are refused from this moment (the execution window); null for anything not approved.
      windowClosesAt: request.status === "approved" ? request.executionClosesAt : null,
    },
    delivery: delivery
      ? {
          status: delivery.status,
          execute: delivery.execute,
          attempts: delivery.attempts,
          lastStatusCode: delivery.lastStatusCode,
          lastError: delivery.lastError,
          deliveredAt: delivery.deliveredAt,
        }
      : null,
    events: events.map((e) => ({
      id: e.id,
      type: e.type,
      authorizer: e.authorizerId ? (names.get(e.authorizerId) ?? e.authorizerId) : null,
      data: e.data,
      at: e.createdAt,
    })),
  };
}
export type RequestView = ReturnType<typeof requestView>;

function summaryOf(r: AuthorizationRequestRow) {
  return {
    requestId: r.requestId,
    externalId: r.externalId,
    status: r.status,
    statusReason: r.statusReason,
    failOpen: r.failOpen,
    principalType: r.principalType,
    actionType: r.actionType,
    actionCategory: r.actionCategory,
    summary: r.summary,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    decidedAt: r.decidedAt,
  };
}

export interface RequestListFilters {
  status?: AuthorizationRequestRow["status"];
  actionType?: string;
  category?: string;
  principalType?: string;
  authorizer?: string;
  from?: Date;
  to?: Date;
  q?: string;
  limit: number;
  cursor?: { createdAt: Date; requestId: string };
}

/**
 * How many of the newest requests (in the range asked for) a filtered list reads before it asks the
 * filter index instead. A filter that matches at least one in ~200 requests fills a page from them;
 * one rarer than that matches so few requests in all that fetching every match is cheaper than
 * reading on. Checked in tests/db/queries/request-list-plans.test.ts; timed by `npm run bench:scale`.
 */
export const RECENT_WINDOW = 10_000;

/**
 * The list, newest first and keyset-paginated on (created_at, request_id), in two steps whose plans
 * are checked in tests. Postgres cannot see how filters correlate (an authorizer and an action type it
 * never received, each common on its own): given one statement it may walk the tenant newest-first
 * hoping to fill the page soon, and read every row when nothing matches (3.9 s at a million). So a
 * filtered list goes in two steps, each with a bounded cost whatever the planner guesses:
 * - this one, over the newest RECENT_WINDOW requests in range only (from `since`, recentWindowStart):
 *   a bounded walk of the tenant's (created_at) index, enough for any filter that is not rare;
 * - filterIndexListQuery, when that window did not fill the page.
 */
export function recentListQuery(
  db: Database,
  ctx: TenantContext,
  f: RequestListFilters,
  authorizerId: string | undefined,
  since?: Date,
) {
  const r = authorizationRequests;
  const conditions = [
    ...requestFilterConditions(f, authorizerId),
    cursorCondition(f.cursor),
    since ? gte(r.createdAt, since) : undefined,
  ];
  return db
    .select()
    .from(r)
    .where(forTenant(ctx, r.tenantId, ...conditions))
    .orderBy(desc(r.createdAt), desc(r.requestId))
    .limit(f.limit + 1);
}

/**
 * The list's second step: every match from the filter index (GIN: btree_gin + pg_trgm, see the schema),
 * sorted. `offset 0` keeps the planner from merging the subquery with the outer order and limit, so it
 * plans to fetch all matches (they are few: the newest RECENT_WINDOW requests held less than a page) —
 * a bitmap of the index keys, never the newest-first walk. Written out because Drizzle leaves out an
 * `offset 0`. One JSON object per row. Its cost grows with the number of matches: a filter whose many
 * matches are all older than the window (an action type retired long ago) reads them all, once per page.
 */
export function filterIndexListQuery(
  db: Database,
  ctx: TenantContext,
  f: RequestListFilters,
  authorizerId: string | undefined,
): SQL {
  const r = authorizationRequests;
  const conditions = [...requestFilterConditions(f, authorizerId), cursorCondition(f.cursor)];
  const matching = db
    .select()
    .from(r)
    .where(forTenant(ctx, r.tenantId, ...conditions))
    .getSQL();
  // The page is cut before its rows become JSON: only limit + 1 rows are serialised, however many match.
  return sql`select row_to_json(page) as row from (
      select * from (${matching} offset 0) as matching
      order by matching.created_at desc, matching.request_id desc limit ${f.limit + 1}
    ) as page
    order by page.created_at desc, page.request_id desc`;
}

/**
 * Older than the cursor, as a row comparison: the tenant's (tenant_id, created_at, request_id) index
 * starts its scan at the cursor. Written as `created_at < … or (created_at = … and request_id < …)` it
 * could only filter, and each later page read every newer request again.
 */
function cursorCondition(cursor: RequestListFilters["cursor"]): SQL | undefined {
  const r = authorizationRequests;
  return cursor
    ? sql`(${r.createdAt}, ${r.requestId}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.requestId})`
    : undefined;
}

/**
 * The creation time of the `window`-th newest request in the list's range (after `from`, up to `to`,
 * before the cursor), from the tenant's (created_at) index; null when the range holds fewer, so that
 * the recent step sees all of it.
 */
async function recentWindowStart(
  db: Database,
  ctx: TenantContext,
  f: RequestListFilters,
  window: number,
): Promise<Date | null> {
  const r = authorizationRequests;
  const range = [f.from ? gte(r.createdAt, f.from) : undefined, f.to ? lte(r.createdAt, f.to) : undefined];
  const [row] = await db
    .select({ createdAt: r.createdAt })
    .from(r)
    .where(forTenant(ctx, r.tenantId, ...range, cursorCondition(f.cursor)))
    .orderBy(desc(r.createdAt), desc(r.requestId))
    .offset(window - 1)
    .limit(1);
  return row?.createdAt ?? null;
}

const filtersRows = (f: RequestListFilters, authorizerId: string | undefined) =>
  Boolean(f.status || f.actionType || f.category || f.principalType || f.q || authorizerId);

/** Newest first, keyset-paginated on (created_at, request_id) so pages stay stable while rows arrive. */
export async function listRequests(
  db: Database,
  ctx: TenantContext,
  f: RequestListFilters,
  options: { recentWindow?: number } = {},
) {
  const authorizerId = f.authorizer ? await authorizerIdByName(db, ctx, f.authorizer) : undefined;
  if (authorizerId === null) return { data: [], nextCursor: null };
  let rows: AuthorizationRequestRow[];
  if (!filtersRows(f, authorizerId)) {
    // Only a range: the index walk stops after one page.
    rows = await recentListQuery(db, ctx, f, authorizerId);
  } else {
    const since = await recentWindowStart(db, ctx, f, options.recentWindow ?? RECENT_WINDOW);
    rows = await recentListQuery(db, ctx, f, authorizerId, since ?? undefined);
    // A full page from the window is the newest page overall (every newer request is in it), and a
    // window that held the whole range saw every match; otherwise the matches are rare: fetch them all.
    if (rows.length <= f.limit && since) {
      const matches = await executeRows<{ row: Record<string, unknown> }>(
        db,
        filterIndexListQuery(db, ctx, f, authorizerId),
      );
      rows = matches.map((m) => rowFromJson<AuthorizationRequestRow>(authorizationRequests, m.row));
    }
  }
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    data: page.map(summaryOf),
    nextCursor: rows.length > f.limit && last ? encodeCursor(last.createdAt, last.requestId) : null,
  };
}

/**
 * The list's filters as SQL conditions on authorization_requests (shared with the export). The
 * authorizer filter goes by id (`authorizerIdByName` first): a renamed authorizer keeps its requests.
 */
export function requestFilterConditions(
  f: Omit<RequestListFilters, "limit" | "cursor">,
  authorizerId: string | undefined,
): (SQL | undefined)[] {
  const r = authorizationRequests;
  return [
    f.status ? eq(r.status, f.status) : undefined,
    f.actionType ? eq(r.actionType, f.actionType) : undefined,
    f.category ? eq(r.actionCategory, f.category) : undefined,
    f.principalType ? eq(r.principalType, f.principalType) : undefined,
    f.from ? gte(r.createdAt, f.from) : undefined,
    f.to ? lte(r.createdAt, f.to) : undefined,
    f.q ? or(ilike(r.summary, `%${escapeLike(f.q)}%`), ilike(r.externalId, `%${escapeLike(f.q)}%`)) : undefined,
    // From the request's own copy of its targets, so the filter index intersects it with the others.
    authorizerId ? sql`${r.targetAuthorizerIds} @> array[${authorizerId}]::uuid[]` : undefined,
  ];
}

/** The id of the tenant's authorizer with this name; null when it has none. */
export async function authorizerIdByName(db: Database, ctx: TenantContext, name: string): Promise<string | null> {
  const [row] = await db
    .select({ id: authorizers.id })
    .from(authorizers)
    .where(forTenant(ctx, authorizers.tenantId, eq(authorizers.name, name)));
  return row?.id ?? null;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function encodeCursor(createdAt: Date, requestId: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${requestId}`).toString("base64url");
}

// A cursor is client input: only an instant PostgreSQL's timestamptz holds (years 1970–9999 here)
// and a well-formed requestId are accepted, or the query, not the caller, would fail.
const MAX_CURSOR_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function decodeCursor(cursor: string): { createdAt: Date; requestId: string } | null {
  const [iso, requestId, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(iso ?? "");
  const time = createdAt.getTime();
  if (rest.length > 0 || !requestId || !REQUEST_ID_PATTERN.test(requestId)) return null;
  return time >= 0 && time <= MAX_CURSOR_TIME ? { createdAt, requestId } : null;
}

/** Just the status, for long-polling. */
export async function getRequestStatus(db: Database, ctx: TenantContext, requestId: string) {
  const [row] = await db
    .select({ status: authorizationRequests.status })
    .from(authorizationRequests)
    .where(forTenant(ctx, authorizationRequests.tenantId, eq(authorizationRequests.requestId, requestId)));
  return row?.status ?? null;
}
