import { desc, eq, gte, sql } from "drizzle-orm";
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

/** The action of the per-minute summary of an authorizer's refused callbacks. */
export const REFUSED_CALLBACK_ACTION = "callback.refused";

/** How many rows one authorizer's minute may use before refusals go in rows of their own. */
const SUMMARY_GENERATIONS = 5;

/**
 * Counts one refused callback (bad signature, malformed body) of an authorizer. Anyone can POST
 * to a callback URL, so refusals are not audited one by one: at most one row per authorizer per
 * minute carries the count, the first cause and the last one.
 */
export async function recordRefusedCallback(
  db: Database,
  ctx: TenantContext,
  authorizer: { id: string; name: string },
  cause: string,
  now = new Date(),
): Promise<void> {
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
  const at = now.toISOString();
  const data = { authorizerId: authorizer.id, count: 1, firstCause: cause, lastCause: cause, minute, lastAt: at };
  const key = `${REFUSED_CALLBACK_ACTION}:${authorizer.id}:${minute}`;
  // A sealed row is never touched (its hash vouches for its count): when the minute's row is already
  // sealed (a lagging clock, a late refusal), the count goes on in the next generation's row.
  for (let generation = 1; generation <= SUMMARY_GENERATIONS; generation++) {
    const written = await db
      .insert(auditEvents)
      .values({
        tenantId: tenantIdOf(ctx),
        actor: actorLabel(ctx),
        action: REFUSED_CALLBACK_ACTION,
        target: authorizer.name,
        data,
        summaryKey: generation === 1 ? key : `${key}#${generation}`,
      })
      .onConflictDoUpdate({
        target: auditEvents.summaryKey,
        set: {
          data: sql`${auditEvents.data} || jsonb_build_object('count', coalesce((${auditEvents.data}->>'count')::int, 0) + 1, 'lastCause', ${cause}::text, 'lastAt', ${at}::text)`,
        },
        setWhere: sql`${auditEvents.checkpointSeq} is null`,
      })
      .returning({ id: auditEvents.id });
    if (written.length > 0) return;
  }
  // Every generation sealed already (a clock far behind): a row of its own, no summary key.
  await db.insert(auditEvents).values({
    tenantId: tenantIdOf(ctx),
    actor: actorLabel(ctx),
    action: REFUSED_CALLBACK_ACTION,
    target: authorizer.name,
    data,
  });
}

/** An authorizer's refused callbacks over the last hour, as its health shows them. */
export interface RefusedCallbackHealth {
  refusedLastHour: number;
  lastCause: string | null;
  lastRefusedAt: string | null;
}

/** Refused-callback health of every authorizer of the tenant that had any in the last hour. */
export async function refusedCallbackHealth(
  db: Database,
  ctx: TenantContext,
  now = new Date(),
): Promise<Map<string, RefusedCallbackHealth>> {
  const rows = await db
    .select({ data: auditEvents.data })
    .from(auditEvents)
    .where(
      forTenant(
        ctx,
        auditEvents.tenantId,
        gte(auditEvents.createdAt, new Date(now.getTime() - 3_600_000)),
        eq(auditEvents.action, REFUSED_CALLBACK_ACTION),
      ),
    );
  const health = new Map<string, RefusedCallbackHealth>();
  for (const { data } of rows) {
    const id = typeof data?.authorizerId === "string" ? data.authorizerId : null;
    if (!id) continue;
    const entry = health.get(id) ?? { refusedLastHour: 0, lastCause: null, lastRefusedAt: null };
    entry.refusedLastHour += Number(data?.count ?? 0);
    const lastAt = String(data?.lastAt ?? "");
    if (entry.lastRefusedAt === null || lastAt > entry.lastRefusedAt) {
      entry.lastRefusedAt = lastAt;
      entry.lastCause = String(data?.lastCause ?? "");
    }
    health.set(id, entry);
  }
  return health;
}

/** The health of one authorizer, zero when it had no refused callback in the last hour. */
export function healthOf(health: Map<string, RefusedCallbackHealth>, authorizerId: string): RefusedCallbackHealth {
  return health.get(authorizerId) ?? { refusedLastHour: 0, lastCause: null, lastRefusedAt: null };
}

/** Where a page of audit events ends: the last row's exact `created_at` (microseconds) and id. */
export interface AuditCursor {
  at: string;
  id: string;
}

const CURSOR_PATTERN =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`).toString("base64url");
}

/** The cursor, or null when it is not one this API issued. */
export function decodeAuditCursor(cursor: string): AuditCursor | null {
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) return null;
  // The shape alone admits dates PostgreSQL refuses (month 13, year 0000): those would fail the query.
  const millis = Date.parse(match[1]!);
  if (!Number.isFinite(millis) || millis < 0 || new Date(millis).toISOString().slice(0, 19) !== match[1]!.slice(0, 19))
    return null;
  return { at: match[1]!, id: match[2]! };
}

/**
 * Newest first, keyset-paginated on (created_at, id) at the database's full precision, so pages
 * neither skip nor repeat rows while new ones arrive.
 */
export async function listAuditEvents(
  db: Database,
  ctx: TenantContext,
  page: { limit?: number; cursor?: AuditCursor } = {},
) {
  const limit = page.limit ?? 100;
  const rows = await db
    .select({
      id: auditEvents.id,
      actor: auditEvents.actor,
      action: auditEvents.action,
      target: auditEvents.target,
      data: auditEvents.data,
      createdAt: auditEvents.createdAt,
      cursorAt: sql<string>`to_char(${auditEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(auditEvents)
    .where(
      forTenant(
        ctx,
        auditEvents.tenantId,
        page.cursor
          ? sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${page.cursor.at}::timestamptz, ${page.cursor.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(limit + 1);
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return {
    data: data.map(({ cursorAt: _c, ...event }) => event),
    nextCursor: rows.length > limit && last ? encodeAuditCursor({ at: last.cursorAt, id: last.id }) : null,
  };
}
