import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import type { TrustedKey } from "@/lib/stepauth";
import { claimDueJobs } from "@/db/queries/system/jobs";
import { enqueueDueSealJobs, sealJobKey } from "@/db/queries/system/audit-seal-jobs";
import { runJob } from "@/lib/jobs/job-runner";
import { api, createGatewayTenant, drainJobs, wipeRequest } from "./gateway";
import { startStubAuthorizer } from "./stub-authorizer";
import { startStubService } from "./stub-service";

/**
 * Deletes a request with its timeline and targets, as an intruder with database access (or the purge)
 * would: the events and targets have no foreign key to the request (0017), so nothing cascades to them.
 */
export function deleteRequestWithTimeline(requestId: string): SQL {
  return sql`with events as (delete from request_events where request_id = ${requestId}),
    targets as (delete from request_targets where request_id = ${requestId})
    delete from authorization_requests where request_id = ${requestId}`;
}

/** Seals the tenant's unsealed audit entries the way the worker does: a queued, leased `seal` job. */
export async function sealTenant(db: Database, tenantId: string): Promise<void> {
  await enqueueDueSealJobs(db);
  for (let round = 0; round < 50; round++) {
    const [job] = await claimDueJobs(db, 1, { seconds: 30 }, { requestId: sealJobKey(tenantId), kinds: ["seal"] });
    if (!job) return;
    await runJob(db, job);
  }
}

/**
 * A tenant with real traffic through the gateway: `count` requests submitted over HTTP and decided
 * at once by a stub authorizer, executed by a stub service; the timeline and configuration audit
 * events are what the product wrote. Returns the tenant and a cleanup.
 */
export async function auditWorld(db: Database, appUrl: string, count = 3) {
  let keys: TrustedKey[] = [];
  const stub = await startStubAuthorizer({ mode: "approve", trustedSpKeys: () => keys });
  let secret = "";
  const service = await startStubService(() => secret);
  const tenant = await createGatewayTenant(db, {
    appUrl,
    authorizers: [{ name: "default", url: stub.url }],
    webhookUrl: service.url,
  });
  secret = tenant.webhookSecret;
  keys = await tenant.spKeys();
  const requestIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const submitted = await api(
      appUrl,
      tenant.apiKey,
      "POST",
      "/api/v1/authorization-requests",
      wipeRequest({ externalId: `ext-${i}` }),
    );
    if (submitted.status >= 300)
      throw new Error(`submit answered ${submitted.status}: ${JSON.stringify(submitted.body)}`);
    requestIds.push(submitted.body.requestId as string);
  }
  await drainJobs(db);
  const events = async () =>
    (
      (await db.execute(
        sql`select id::text as id, request_id, type from request_events where tenant_id = ${tenant.tenantId} order by request_events.id`,
      )) as unknown as { rows: { id: string; request_id: string; type: string }[] }
    ).rows;
  return {
    tenant,
    requestIds,
    events,
    close: async () => {
      await stub.close();
      await service.close();
    },
  };
}
