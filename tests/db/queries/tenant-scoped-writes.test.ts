import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { authorizers, jobs, requestTargets, type Job } from "@/db/schema";
import { insertExecution } from "@/db/queries/executions";
import { claimRequestJobs } from "@/db/queries/jobs";
import { appendRequestEvents } from "@/db/queries/request-events";
import { finalizePendingRequest } from "@/db/queries/request-finalize";
import { recordRequest } from "@/db/queries/request-lifecycle";
import {
  markTargetCancelled,
  markTargetPending,
  recordTargetFailure,
  recordTargetPoll,
} from "@/db/queries/request-targets";
import { issueTenantContext, type TenantContext } from "@/lib/auth/tenant-context";
import { createTestTenant, queryRows, setupTestDatabase } from "../../setup/database";

// Every write to a tenant table carries the tenant condition on the table it writes: called with
// tenant A's context, a write never changes a row of tenant B, whether it names B's request or
// finds a row of B under A's own request (rows a request id alone would reach).

const db = setupTestDatabase();
const lease = { seconds: 60 };

async function tenantWithAuthorizer(db: Database) {
  const { tenantId } = await createTestTenant(db);
  const ctx = issueTenantContext(tenantId, { type: "system", component: "worker" }, []);
  const [authorizer] = await db
    .insert(authorizers)
    .values({ tenantId, name: "a", endpoint: "https://authorizer.example", spId: `sp_${tenantId}`, publicKeys: [] })
    .returning();
  return { tenantId, ctx, authorizerId: authorizer!.id };
}

/** A pending request of the tenant with one queued target at its authorizer and that target's submit job. */
async function pendingRequest(db: Database, t: { ctx: TenantContext; authorizerId: string }) {
  const requestId = `req_${randomBytes(12).toString("hex")}`;
  const recorded = await recordRequest(db, t.ctx, {
    requestId,
    externalId: null,
    idempotencyKey: null,
    bodyHash: "hash",
    principal: JSON.stringify({ type: "user", id: "u1" }),
    action: JSON.stringify({ type: "wipe", summary: "wipe" }),
    principalType: "user",
    actionType: "wipe",
    actionCategory: null,
    summary: "wipe",
    routingTargets: ["a"],
    routingFallbackReason: null,
    routingError: null,
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
    events: "[]",
    targets: JSON.stringify([{ authorizer_id: t.authorizerId, sp_id: "sp", payload: "{}" }]),
    targetAuthorizerIds: [t.authorizerId],
    leaseSeconds: 60,
  });
  return { requestId, submitJob: recorded!.submitJobs[0]! };
}

/** Everything stored under a request id, whichever tenant owns it. */
async function rowsOf(db: Database, requestId: string) {
  return {
    targets: await queryRows(
      db,
      sql`select tenant_id, authorizer_id, state, poll_count, last_error from request_targets where request_id = ${requestId} order by tenant_id`,
    ),
    events: await queryRows(db, sql`select tenant_id, type from request_events where request_id = ${requestId}`),
    jobs: await queryRows(
      db,
      sql`select tenant_id, kind, target, attempts, locked_until from jobs where request_id = ${requestId} order by kind, target`,
    ),
    executions: await queryRows(db, sql`select tenant_id from executions where request_id = ${requestId}`),
  };
}

async function setup() {
  const a = await tenantWithAuthorizer(db());
  const b = await tenantWithAuthorizer(db());
  const ofB = await pendingRequest(db(), b);
  return { a, b, ofB };
}

describe("writes with tenant A's context never change tenant B's rows", () => {
  it("naming B's request: timeline, execution claim, target transitions and job claims write nothing", async () => {
    const { a, b, ofB } = await setup();
    const [cancelJob] = await db()
      .insert(jobs)
      .values({ tenantId: b.tenantId, kind: "cancel", requestId: ofB.requestId, target: b.authorizerId })
      .returning();
    const target = { requestId: ofB.requestId, authorizerId: b.authorizerId };
    const failures: string[] = [];
    const expectUnchanged = async (write: string, run: () => Promise<unknown>) => {
      const before = await rowsOf(db(), ofB.requestId);
      await run();
      const after = await rowsOf(db(), ofB.requestId);
      if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(write);
    };

    await expectUnchanged("appendRequestEvents", () =>
      appendRequestEvents(db(), a.ctx, ofB.requestId, [{ type: "cancel_requested" }]),
    );
    await expectUnchanged("insertExecution", () =>
      insertExecution(db(), a.ctx, ofB.requestId, "webhook", { status: "success" }),
    );
    await expectUnchanged("markTargetPending", () =>
      markTargetPending(db(), a.ctx, { ...target, events: [], pollInSeconds: 1, lease: ofB.submitJob }),
    );
    await expectUnchanged("recordTargetFailure", () =>
      recordTargetFailure(db(), a.ctx, { ...target, lastError: "x", events: [], lease: ofB.submitJob }),
    );
    await expectUnchanged("recordTargetPoll", () =>
      recordTargetPoll(db(), a.ctx, { ...target, pollCount: 9, lease: ofB.submitJob }),
    );
    await expectUnchanged("markTargetCancelled", () =>
      markTargetCancelled(db(), a.ctx, { ...target, lease: ofB.submitJob }),
    );
    await expectUnchanged("claimRequestJobs", () =>
      claimRequestJobs(db(), a.ctx, ofB.requestId, ["cancel"], 10, lease),
    );
    expect(cancelJob).toBeDefined();
    expect(failures).toEqual([]);
  });

  it("finding B's rows under A's own request: finalize, the pending mark and the failure leave them alone", async () => {
    const { a, b } = await setup();
    const ofA = await pendingRequest(db(), a);
    // Rows of B under A's request id: a target at B's authorizer and its open jobs.
    await db().insert(requestTargets).values({
      requestId: ofA.requestId,
      authorizerId: b.authorizerId,
      tenantId: b.tenantId,
      spId: "sp",
      payload: "{}",
    });
    const [submitOfB] = await db()
      .insert(jobs)
      .values({ tenantId: b.tenantId, kind: "submit", requestId: ofA.requestId, target: b.authorizerId })
      .returning();
    await db()
      .insert(jobs)
      .values({ tenantId: b.tenantId, kind: "poll", requestId: ofA.requestId, target: `${b.authorizerId}-poll` });
    const bRows = async () => {
      const rows = await rowsOf(db(), ofA.requestId);
      const ofB = (r: unknown) => (r as { tenant_id: string }).tenant_id === b.tenantId;
      return { targets: rows.targets.filter(ofB), jobs: rows.jobs.filter(ofB) };
    };
    const before = await bRows();
    const bTarget = { requestId: ofA.requestId, authorizerId: b.authorizerId, lease: submitOfB as Job };

    const failures: string[] = [];
    const check = async (write: string) => {
      if (JSON.stringify(await bRows()) !== JSON.stringify(before)) failures.push(write);
    };
    await markTargetPending(db(), a.ctx, { ...bTarget, events: [], pollInSeconds: 1 });
    await check("markTargetPending");
    await recordTargetFailure(db(), a.ctx, { ...bTarget, lastError: "x", events: [] });
    await check("recordTargetFailure");

    const won = await finalizePendingRequest(
      db(),
      a.ctx,
      {
        requestId: ofA.requestId,
        status: "approved",
        source: "routing",
        condition: { kind: "none" },
        winningAuthorizerId: b.authorizerId,
        events: [],
      },
      60,
    );
    expect(won?.request.status).toBe("approved");
    await check("finalize");
    // A cancel ends another request of A with a target of B under it: no cancel is queued to B's authorizer.
    const cancelled = await pendingRequest(db(), a);
    await db().insert(requestTargets).values({
      requestId: cancelled.requestId,
      authorizerId: b.authorizerId,
      tenantId: b.tenantId,
      spId: "sp",
      payload: "{}",
    });
    const cancel = { requestId: cancelled.requestId, status: "cancelled" as const, source: "cancel", events: [] };
    expect(await finalizePendingRequest(db(), a.ctx, { ...cancel, condition: { kind: "none" } }, 60)).not.toBeNull();
    const cancels = await queryRows(
      db(),
      sql`select 1 from jobs where request_id = ${cancelled.requestId} and kind = 'cancel' and target = ${b.authorizerId}`,
    );
    if (cancels.length > 0) failures.push("finalize (cancel for B's target)");
    expect(failures).toEqual([]);
  });
});

// Since 0017 no foreign key ties an event or a target to its request: the statements do, by writing
// them only under a request they find (of the caller's tenant). A request id that names nothing
// leaves no row behind, whichever statement writes with it.
describe("writes naming a request that does not exist", () => {
  it("leave no event, target or job behind", async () => {
    const { a } = await setup();
    const requestId = `req_${randomBytes(12).toString("hex")}`;
    const target = { requestId, authorizerId: a.authorizerId };
    const attempt = { type: "authorizer_attempt" as const, authorizerId: a.authorizerId, data: { call: "submit" } };
    const lease = { leaseToken: "00000000-0000-4000-8000-000000000000" } as Job;
    await appendRequestEvents(db(), a.ctx, requestId, [{ type: "cancel_requested" }]);
    await markTargetPending(db(), a.ctx, { ...target, events: [attempt], pollInSeconds: 1, lease });
    await recordTargetFailure(db(), a.ctx, { ...target, lastError: "x", events: [attempt], lease });
    const finalized = await finalizePendingRequest(
      db(),
      a.ctx,
      { requestId, status: "denied", source: "routing", condition: { kind: "none" }, events: [{ type: "expired" }] },
      60,
    );
    expect(finalized).toBeNull();
    expect(await rowsOf(db(), requestId)).toEqual({ targets: [], events: [], jobs: [], executions: [] });
  });
});
