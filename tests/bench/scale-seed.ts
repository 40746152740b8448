/**
 * Seeds a tenant with `rows` realistic requests — their targets and timelines too — in a few
 * set-based statements (generate_series), for the scale benchmark: spread over 60 days, newest
 * first; correlated action type, category and principal type (a deploy is sent by a service);
 * recent requests pending, older ones mostly approved, some denied, expired, cancelled or approved
 * fail-open; log-normal-ish decision latencies from seconds to hours.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";

/** The action kinds the seed draws from: type, category, principal type, authorizer (by index), weight in %. */
export const seedActions = [
  ["device.wipe", "infra.destroy", "agent", 0, 14],
  ["payment.refund", "finance.payout", "service", 1, 18],
  ["user.role_grant", "iam.change", "human", 0, 12],
  ["db.drop_table", "infra.destroy", "agent", 0, 4],
  ["deploy.production", "infra.deploy", "service", 2, 20],
  ["invoice.approve", "finance.payout", "human", 1, 10],
  ["data.export", "data.access", "agent", 0, 12],
  ["secret.rotate", "iam.change", "service", 2, 9],
  ["account.close", "customer.change", "human", 1, 1],
] as const;

const SPAN_DAYS = 60;

export interface SeedOptions {
  tenantId: string;
  authorizerIds: string[];
  authorizerNames: string[];
  rows: number;
  salt: string;
}

/** Inserts the requests, then targets and events from them; returns the milliseconds each step took. */
export async function seedRequests(db: Database, o: SeedOptions): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const step = async (name: string, statement: ReturnType<typeof sql>) => {
    const t0 = performance.now();
    await db.execute(statement);
    timings[name] = Math.round(performance.now() - t0);
  };
  // The weighted action table as VALUES, with each row's cumulative weight range.
  let cumulative = 0;
  const actions = sql.join(
    seedActions.map(([type, category, principal, authorizer, weight]) => {
      const from = cumulative;
      cumulative += weight;
      return sql`(${type}, ${category}, ${principal}, ${authorizer}::int, ${from}::int, ${cumulative}::int)`;
    }),
    sql`, `,
  );
  const ids = sql`(array[${sql.join(
    o.authorizerIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}])`;
  const names = sql`(array[${sql.join(
    o.authorizerNames.map((n) => sql`${n}::text`),
    sql`, `,
  )}])`;
  await step(
    "requests",
    sql`
    with a(type, category, principal, authorizer, w_from, w_to) as (values ${actions}),
    g as (
      select n, now() - interval '5 seconds' - (${SPAN_DAYS}::int * interval '1 day') * ((n - 1)::float8 / ${o.rows}::int) as created_at,
        abs(hashint4(n # 123457)::bigint) % 100 as pick, abs(hashint4(n # 987651)::bigint) % 1000 as fate,
        abs(hashint4(n # 55555)::bigint) % 10000 / 10000.0 as u1, abs(hashint4(n # 77777)::bigint) % 10000 / 10000.0 as u2
      from generate_series(1, ${o.rows}::int) as n
    ),
    s as (
      select g.*, a.*,
        case when g.created_at > now() - interval '1 hour' and g.fate < 600 then 'pending'
             when g.fate < 700 then 'approved' when g.fate < 850 then 'denied' when g.fate < 950 then 'expired'
             when g.fate < 980 then 'cancelled' else 'approved' end::request_status as status,
        g.fate >= 980 as fail_open,
        -- Log-normal-ish latency: 2 s to ~3 h, median about a minute.
        interval '1 millisecond' * (2000 * exp(8.6 * g.u1 * g.u2 + 1.2 * g.u2)) as latency
      from g join a on g.pick >= a.w_from and g.pick < a.w_to
    )
    insert into authorization_requests (request_id, tenant_id, external_id, body_hash, status, status_reason, fail_open, principal, action,
      principal_type, action_type, action_category, summary, routing_targets, target_authorizer_ids, expires_at, created_at, decided_at,
      decision_authorizer_id, decision_key_id, decision_reason, decision_source)
    select 'req_' || md5(${o.salt}::text || n), ${o.tenantId}::uuid, 'ext-' || ${o.salt}::text || '-' || n, md5(n::text), status,
      case when status = 'expired' then 'expired' when fail_open then 'authorizer_unavailable' end,
      fail_open,
      jsonb_build_object('type', principal, 'attributes', jsonb_build_array(jsonb_build_object('key', 'name', 'label', 'Name', 'value', 'Principal ' || (n % 997)))),
      jsonb_build_object('type', type, 'category', category, 'summary', 'x'),
      principal, type, category,
      'If approved, ' || replace(type, '.', ' ') || ' for ' || (array['Jane Doe','Ravi Patel','Ana Souza','Li Wei','Omar Haddad','Greta Berg'])[1 + n % 6]
        || ' (' || upper(substr(md5('s' || n), 1, 12)) || ') on ' || (array['MacBook Pro','prod-db-7','billing','eu-west-1','okta','warehouse'])[1 + (n / 7) % 6] || '.',
      array[${names}[authorizer + 1]], array[${ids}[authorizer + 1]], created_at + interval '1 hour', created_at,
      case when status = 'pending' then null when status = 'expired' then least(created_at + interval '1 hour', now())
           when status = 'cancelled' then least(created_at + latency / 2, now()) else least(created_at + latency, now()) end,
      case when status in ('approved', 'denied') and not fail_open then ${ids}[authorizer + 1] end,
      case when status in ('approved', 'denied') and not fail_open then 'key_bench' end,
      case when status = 'denied' then 'not this time' end,
      case when fail_open then 'unavailability' when status = 'expired' then 'expiry' when status = 'cancelled' then 'cancel'
           when status in ('approved', 'denied') then 'callback' end
    from s`,
  );
  await step(
    "targets",
    sql`
    insert into request_targets (request_id, authorizer_id, tenant_id, sp_id, payload, state, updated_at)
    select r.request_id, ${ids}[array_position(${names}, r.routing_targets[1])], r.tenant_id, 'sp_bench',
      json_build_object('spId', 'sp_bench', 'requestId', r.request_id, 'timestamp', r.created_at, 'expiresAt', r.expires_at,
        'principal', r.principal, 'action', r.action)::text,
      (case r.status when 'pending' then 'pending' when 'approved' then 'decided' when 'denied' then 'decided'
        when 'expired' then 'cancelled' else 'cancelled' end)::target_state,
      coalesce(r.decided_at, r.created_at)
    from authorization_requests r where r.tenant_id = ${o.tenantId}::uuid`,
  );
  await step(
    "events",
    sql`
    insert into request_events (tenant_id, request_id, type, authorizer_id, data, created_at)
    select r.tenant_id, r.request_id, e.type, e.authorizer_id, e.data, e.at
    from authorization_requests r cross join lateral (values
      ('received', null::uuid, jsonb_build_object('externalId', r.external_id, 'actionType', r.action_type,
        'targets', r.routing_targets, 'fallback', false), r.created_at, 1),
      ('authorizer_pending', ${ids}[array_position(${names}, r.routing_targets[1])], '{}'::jsonb, r.created_at + interval '200 milliseconds', 3),
      (case when r.status = 'pending' then null else 'finalized' end, r.decision_authorizer_id,
        jsonb_build_object('status', r.status, 'source', r.decision_source), r.decided_at, 4)
    ) as e(type, authorizer_id, data, at, ord)
    where r.tenant_id = ${o.tenantId}::uuid and e.type is not null
    order by r.created_at, e.ord`,
  );
  return timings;
}
