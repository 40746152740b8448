import { eq, gte, isNotNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditEvents, isAuthorizerOutcomeEvent, requestEvents } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { REFUSED_CALLBACK_ACTION } from "./audit";
import { forTenant } from "./tenant-scope";

// Per-authorizer health from what the gateway already records, over a bounded recent window only:
// request_events (attempts, accepted and refused decisions) and the per-minute refused-callback
// summaries in audit_events. Both reads use their (tenant_id, created_at) index and 24 hours at most.

/** healthy · degraded · failing, or untested when nothing was heard from it in 24 h. See `healthStateOf`. */
export type AuthorizerHealthState = "healthy" | "degraded" | "failing" | "untested";

export interface HealthWindow {
  successes: number;
  failures: number;
  /** failures ÷ (successes + failures); null without any outcome. */
  errorRate: number | null;
  /** Round-trip time of the gateway's calls to it (submit, poll, cancel), failed ones included. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface AuthorizerHealth {
  state: AuthorizerHealthState;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastFailureCause: string | null;
  lastHour: HealthWindow;
  lastDay: HealthWindow;
}

/** Decision refusals that are the authorizer's fault (not a race lost to another authorizer or the clock). */
const FAULTY_DECISIONS = ["request_mismatch", "sp_mismatch", "stale_timestamp"];
/** Submit failures whose HTTP attempt looked fine: the answer itself was bad (a forged or broken decision). */
const FAULTY_ANSWERS = ["invalid_signature", "invalid_response"];

/**
 * The thresholds, in one place (README "Authorizer health"): failing when at least half of the last
 * hour's outcomes failed, or it failed in the last 24 h without a single success; degraded on any
 * failure in the last hour, a 24 h error rate of 10 % or more, or a last-hour p95 of 5 s or more.
 */
export const HEALTH_THRESHOLDS = { failingErrorRate: 0.5, degradedErrorRate24h: 0.1, degradedP95Ms: 5_000 } as const;

export function healthStateOf(hour: HealthWindow, day: HealthWindow): AuthorizerHealthState {
  if (day.successes + day.failures === 0) return "untested";
  if (hour.failures > 0 && (hour.errorRate ?? 0) >= HEALTH_THRESHOLDS.failingErrorRate) return "failing";
  if (day.successes === 0) return "failing";
  if (hour.failures > 0 || (day.errorRate ?? 0) >= HEALTH_THRESHOLDS.degradedErrorRate24h) return "degraded";
  if ((hour.p95Ms ?? 0) >= HEALTH_THRESHOLDS.degradedP95Ms) return "degraded";
  return "healthy";
}

interface Tally {
  successes1h: number;
  failures1h: number;
  successes24h: number;
  failures24h: number;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastFailureCause: string | null;
  p50_1h: number | null;
  p95_1h: number | null;
  p50_24h: number | null;
  p95_24h: number | null;
}

async function tallyEvents(db: Database, ctx: TenantContext, dayAgo: Date, hourAgo: Date): Promise<Map<string, Tally>> {
  const e = requestEvents;
  const status = sql`coalesce((${e.data}->>'status')::int, 0)`;
  const outcome = sql`(${e.data}->>'outcome')`;
  const code = sql`(${e.data}->>'code')`;
  const attempt = sql`${e.type} = 'authorizer_attempt'`;
  const ok = sql`((${attempt} and ${outcome} = 'response' and (${status} < 400 or ${status} = 409)) or ${e.type} = 'decision_accepted')`;
  const failed = sql`((${attempt} and (${outcome} <> 'response' or (${status} >= 400 and ${status} <> 409)))
    or (${e.type} = 'decision_refused' and ${code} in (${sql.join(
      FAULTY_DECISIONS.map((c) => sql`${c}`),
      sql`, `,
    )}))
    or (${e.type} = 'submit_failed' and ${code} in (${sql.join(
      FAULTY_ANSWERS.map((c) => sql`${c}`),
      sql`, `,
    )})))`;
  const cause = sql<string>`case
    when ${attempt} and ${outcome} = 'response' then 'HTTP ' || (${e.data}->>'status') || coalesce(' ' || (${e.data}->>'errorCode'), '')
    when ${attempt} then ${outcome} || coalesce(': ' || (${e.data}->>'cause'), '')
    when ${e.type} = 'decision_refused' then 'decision refused: ' || ${code}
    else ${code} || coalesce(': ' || (${e.data}->>'message'), '') end`;
  const latency = sql`case when ${attempt} then (${e.data}->>'latencyMs')::float8 end`;
  const inHour = sql`${e.createdAt} >= ${hourAgo}`;
  const pct = (p: number, window?: typeof inHour) =>
    sql<
      number | null
    >`percentile_cont(${sql.raw(String(p))}) within group (order by ${window ? sql`case when ${window} then ${latency} end` : latency})`;
  const rows = await db
    .select({
      authorizerId: sql<string>`${e.authorizerId}`,
      successes1h: sql<number>`count(*) filter (where ${ok} and ${inHour})::int`,
      failures1h: sql<number>`count(*) filter (where ${failed} and ${inHour})::int`,
      successes24h: sql<number>`count(*) filter (where ${ok})::int`,
      failures24h: sql<number>`count(*) filter (where ${failed})::int`,
      lastSuccessAt: sql<Date | string | null>`max(${e.createdAt}) filter (where ${ok})`,
      lastFailureAt: sql<Date | string | null>`max(${e.createdAt}) filter (where ${failed})`,
      lastFailureCause: sql<
        string | null
      >`(array_agg(${cause} order by ${e.createdAt} desc, ${e.id} desc) filter (where ${failed}))[1]`,
      p50_1h: pct(0.5, inHour),
      p95_1h: pct(0.95, inHour),
      p50_24h: pct(0.5),
      p95_24h: pct(0.95),
    })
    .from(e)
    .where(
      forTenant(
        ctx,
        e.tenantId,
        gte(e.createdAt, dayAgo),
        isNotNull(e.authorizerId),
        // The partial index's own predicate, as literals (a parameter list would not prove it).
        isAuthorizerOutcomeEvent,
      ),
    )
    .groupBy(e.authorizerId);
  const asDate = (v: Date | string | null) => (v === null ? null : new Date(v));
  const asNumber = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return new Map(
    rows.map((r) => [
      r.authorizerId,
      {
        successes1h: Number(r.successes1h),
        failures1h: Number(r.failures1h),
        successes24h: Number(r.successes24h),
        failures24h: Number(r.failures24h),
        lastSuccessAt: asDate(r.lastSuccessAt),
        lastFailureAt: asDate(r.lastFailureAt),
        lastFailureCause: r.lastFailureCause,
        p50_1h: asNumber(r.p50_1h),
        p95_1h: asNumber(r.p95_1h),
        p50_24h: asNumber(r.p50_24h),
        p95_24h: asNumber(r.p95_24h),
      },
    ]),
  );
}

/** Refused callbacks (forged or malformed decisions posted to its callback URL), from the per-minute summaries. */
async function tallyRefusedCallbacks(db: Database, ctx: TenantContext, dayAgo: Date, hourAgo: Date) {
  const rows = await db
    .select({ data: auditEvents.data, createdAt: auditEvents.createdAt })
    .from(auditEvents)
    .where(
      forTenant(
        ctx,
        auditEvents.tenantId,
        gte(auditEvents.createdAt, dayAgo),
        eq(auditEvents.action, REFUSED_CALLBACK_ACTION),
      ),
    );
  const byAuthorizer = new Map<string, { hour: number; day: number; lastAt: Date | null; lastCause: string | null }>();
  for (const { data, createdAt } of rows) {
    const id = typeof data?.authorizerId === "string" ? data.authorizerId : null;
    if (!id) continue;
    const entry = byAuthorizer.get(id) ?? { hour: 0, day: 0, lastAt: null, lastCause: null };
    const count = Number(data?.count ?? 0);
    const lastAt = new Date(String(data?.lastAt ?? createdAt.toISOString()));
    entry.day += count;
    if (lastAt >= hourAgo) entry.hour += count;
    if (!entry.lastAt || lastAt > entry.lastAt)
      Object.assign(entry, { lastAt, lastCause: `callback refused: ${String(data?.lastCause ?? "")}` });
    byAuthorizer.set(id, entry);
  }
  return byAuthorizer;
}

const round = (v: number | null) => (v === null || Number.isNaN(v) ? null : Math.round(v));
const rate = (successes: number, failures: number) =>
  successes + failures === 0 ? null : failures / (successes + failures);

/** Health of each of `authorizerIds` (every one gets an entry, untested when nothing was heard). */
export async function authorizerHealth(
  db: Database,
  ctx: TenantContext,
  authorizerIds: string[],
  now = new Date(),
): Promise<Map<string, AuthorizerHealth>> {
  const dayAgo = new Date(now.getTime() - 24 * 3_600_000);
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const [events, refused] = await Promise.all([
    tallyEvents(db, ctx, dayAgo, hourAgo),
    tallyRefusedCallbacks(db, ctx, dayAgo, hourAgo),
  ]);
  const health = new Map<string, AuthorizerHealth>();
  for (const id of authorizerIds) {
    const t = events.get(id);
    const r = refused.get(id);
    const s1 = t?.successes1h ?? 0,
      s24 = t?.successes24h ?? 0;
    const f1 = (t?.failures1h ?? 0) + (r?.hour ?? 0),
      f24 = (t?.failures24h ?? 0) + (r?.day ?? 0);
    const lastHour: HealthWindow = {
      successes: s1,
      failures: f1,
      errorRate: rate(s1, f1),
      p50Ms: round(t?.p50_1h ?? null),
      p95Ms: round(t?.p95_1h ?? null),
    };
    const lastDay: HealthWindow = {
      successes: s24,
      failures: f24,
      errorRate: rate(s24, f24),
      p50Ms: round(t?.p50_24h ?? null),
      p95Ms: round(t?.p95_24h ?? null),
    };
    const eventFailureNewer = t?.lastFailureAt && (!r?.lastAt || t.lastFailureAt >= r.lastAt);
    const lastFailureAt = eventFailureNewer ? t!.lastFailureAt : (r?.lastAt ?? t?.lastFailureAt ?? null);
    health.set(id, {
      state: healthStateOf(lastHour, lastDay),
      lastSuccessAt: t?.lastSuccessAt?.toISOString() ?? null,
      lastFailureAt: lastFailureAt?.toISOString() ?? null,
      lastFailureCause: eventFailureNewer ? t!.lastFailureCause : (r?.lastCause ?? t?.lastFailureCause ?? null),
      lastHour,
      lastDay,
    });
  }
  return health;
}
