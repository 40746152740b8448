import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { executions, jobs, requestTargets, webhookDeliveries, type AuthorizationRequestRow, type Job } from "@/db/schema";
import { tenantIdOf } from "@/db/queries/tenant-scope";
import { loadWebhookTarget } from "@/db/queries/tenant-settings";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { appendRequestEvents, type NewRequestEvent } from "./request-events";

/**
 * How long a claimed job belongs to its claimer: longer than the slowest job (5 attempts × 5 s
 * plus backoff). Work run at once (inline) is leased the same way; if its process dies, the worker
 * of any instance takes the job over when the lease runs out. Tests shorten it.
 */
export const JOB_LEASE_SECONDS = Number(process.env.GATEWAY_JOB_LEASE_SECONDS ?? 120);

/**
 * Everything that follows a request reaching a final status, in the transaction that set it:
 * stop its pending jobs, cancel it at the other authorizers, and hand it to the service
 * (claim the execution once for an approval, or a notify-only delivery otherwise).
 * Returns the delivery job, leased to the caller, when there is one to run now.
 */
export async function afterFinalStatus(
  tx: Database,
  ctx: TenantContext,
  request: AuthorizationRequestRow,
  options: { winningAuthorizerId?: string | null; events?: NewRequestEvent[]; webhookConfigured?: boolean } = {},
): Promise<Job | null> {
  const tenantId = tenantIdOf(ctx);
  // One statement (on the hot path of every decision): close the request's open submit, poll and
  // expiry jobs, and queue a cancel for every other authorizer still holding it.
  await tx.execute(sql`
    with closed as (
      update ${jobs} set done_at = now(), locked_until = null
      where ${jobs.requestId} = ${request.requestId} and ${jobs.kind} in ('submit', 'poll', 'expire') and ${jobs.doneAt} is null
    )
    insert into ${jobs} (tenant_id, kind, request_id, target)
    select ${tenantId}, 'cancel', ${requestTargets.requestId}, ${requestTargets.authorizerId}::text from ${requestTargets}
    where ${requestTargets.requestId} = ${request.requestId} and ${requestTargets.state} in ('queued', 'pending')
      and ${requestTargets.authorizerId} is distinct from ${options.winningAuthorizerId ?? null}::uuid
    on conflict (kind, request_id, target) where done_at is null do nothing`);
  const events: NewRequestEvent[] = [...(options.events ?? [])];
  const webhook = options.webhookConfigured ?? (await loadWebhookTarget(tx, ctx)) !== null;
  const execute = request.status === "approved";
  let deliveryJob: Job | null = null;
  if (execute && webhook) {
    // The claim: the primary key allows one execution row per request, ever.
    const [claimed] = await tx.insert(executions).values({ requestId: request.requestId, tenantId, channel: "webhook" }).onConflictDoNothing().returning();
    if (claimed) events.push({ type: "execution_claimed", data: { channel: "webhook" } });
  }
  if (webhook) {
    await tx.insert(webhookDeliveries).values({ requestId: request.requestId, tenantId, execute }).onConflictDoNothing();
    [deliveryJob = null] = await tx
      .insert(jobs)
      .values({ tenantId, kind: "deliver", requestId: request.requestId, lockedUntil: sql`now() + make_interval(secs => ${JOB_LEASE_SECONDS})`, attempts: 1 })
      .onConflictDoNothing()
      .returning();
    events.push({ type: "webhook_delivery", data: { execute, state: "queued" } });
  }
  await appendRequestEvents(tx, ctx, request.requestId, events);
  return deliveryJob;
}
