import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizationRequests, requestStats } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { tenantIdOf } from "./tenant-scope";

// The overview's rollup (request_stats), kept by the statements that change a request's status:
// the submit adds one pending request to its hour; a final status moves it from pending to that
// status (with the deciding authorizer and latency bucket). One `insert … on conflict do update`
// each, inside the same statement as the change, so the rollup cannot drift from the requests.

/** date_trunc to the UTC hour whatever the session's time zone (a +05:30 zone would shift whole-hour buckets). */
export const hourOf = (createdAt: SQL | string): SQL =>
  sql`date_trunc('hour', ${typeof createdAt === "string" ? sql.raw(createdAt) : createdAt}, 'UTC')`;

/**
 * The latency bucket of a decision: floor(4·log2(milliseconds)), so a bucket spans a quarter of an
 * octave (±9% around its middle); 0 for a millisecond or less. The migration's backfill spells the same.
 */
export function latencyBucketOf(createdAt: string, decidedAt: string): SQL {
  return sql.raw(
    `floor(4 * ln(greatest(extract(epoch from (${decidedAt} - ${createdAt})) * 1000, 1)::float8) / ln(2))::smallint`,
  );
}

/** Milliseconds a latency bucket stands for, `fraction` of the way through it (log scale). */
export function latencyOfBucket(bucket: number, fraction = 0.5): number {
  return 2 ** ((bucket + fraction) / 4);
}

// Spreads concurrent writers of one tenant and hour over a few rows (see the schema's `slot`).
const writerSlot = sql`(pg_backend_pid() % 8)::smallint`;

const upsert = sql`on conflict on constraint request_stats_key_uq do update
  set requests = ${requestStats}.requests + excluded.requests, fail_open = ${requestStats}.fail_open + excluded.fail_open`;

/** A CTE body for the submit statement: one more pending request in the hour of each row of `req`. */
export function countReceivedRequest(req: string): SQL {
  return sql`insert into ${requestStats} (tenant_id, bucket, status, slot, requests)
    select r.tenant_id, ${hourOf("r.created_at")}, 'pending', ${writerSlot}, 1 from ${sql.raw(req)} r ${upsert}`;
}

/**
 * A CTE body for the finalize statement: each row of `won` (the request just made final, as
 * returned by the update) leaves pending and joins its final status. Pending first, always, so two
 * finalizations in one hour lock the rows in the same order.
 */
export function countFinalizedRequest(won: string): SQL {
  return sql`insert into ${requestStats} (tenant_id, bucket, status, authorizer_id, latency_bucket, slot, requests, fail_open)
    select w.tenant_id, ${hourOf("w.created_at")}, s.status, s.authorizer_id, s.latency_bucket, ${writerSlot}, s.requests, s.fail_open
    from ${sql.raw(won)} w cross join lateral (values
      ('pending'::request_status, null::uuid, null::smallint, -1, 0),
      (w.status, w.decision_authorizer_id,
        case when w.decision_authorizer_id is not null then ${latencyBucketOf("w.created_at", "w.decided_at")} end,
        1, case when w.fail_open then 1 else 0 end)
    ) as s(status, authorizer_id, latency_bucket, requests, fail_open)
    ${upsert}`;
}

/** The rollup's rows as a count over the requests themselves would give them (backfill, checks). */
export function rollupFromRequests(tenantId: string): SQL {
  const r = authorizationRequests;
  return sql`select ${r.tenantId} as tenant_id, ${hourOf(sql`${r.createdAt}`)} as bucket, ${r.status} as status,
      ${r.decisionAuthorizerId} as authorizer_id,
      case when ${r.decisionAuthorizerId} is not null and ${r.decidedAt} is not null
        then ${latencyBucketOf("created_at", "decided_at")} end as latency_bucket,
      count(*)::int as requests, (count(*) filter (where ${r.failOpen}))::int as fail_open
    from ${r} where ${r.tenantId} = ${tenantId} group by 1, 2, 3, 4, 5`;
}

/** Rebuilds a tenant's rollup from its requests (after a bulk load that bypassed the statements). */
export async function rebuildRequestStats(db: Database, ctx: TenantContext): Promise<void> {
  const tenantId = tenantIdOf(ctx);
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from ${requestStats} where ${requestStats.tenantId} = ${tenantId}`);
    await tx.execute(sql`insert into ${requestStats} (tenant_id, bucket, status, authorizer_id, latency_bucket, requests, fail_open)
      ${rollupFromRequests(tenantId)}`);
  });
}

/** A tenant's rollup, summed over slots, where it counts something, in a stable order (tests compare it with rollupFromRequests). */
export async function readRequestStats(db: Database, ctx: TenantContext, source: "rollup" | "requests") {
  const tenantId = tenantIdOf(ctx);
  const rows =
    source === "rollup"
      ? sql`select tenant_id, bucket, status, authorizer_id, latency_bucket, sum(requests) as requests, sum(fail_open) as fail_open
        from ${requestStats} where ${requestStats.tenantId} = ${tenantId} group by 1, 2, 3, 4, 5 having sum(requests) <> 0 or sum(fail_open) <> 0`
      : rollupFromRequests(tenantId);
  const result =
    (await db.execute(sql`select to_char(bucket at time zone 'UTC', 'YYYY-MM-DD"T"HH24') as hour, status::text, authorizer_id::text,
      latency_bucket::int, requests::int, fail_open::int from (${rows}) s order by 1, 2, 3, 4`)) as unknown as {
      rows: Record<string, unknown>[];
    };
  return result.rows;
}
