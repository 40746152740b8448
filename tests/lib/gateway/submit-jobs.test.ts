import { sql, type SQL } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { runJob } from "@/lib/jobs/job-runner";
import { recordAuthorizationRequest } from "@/lib/gateway/record-request";
import { submitAuthorizationRequest, submitRequestSchema } from "@/lib/gateway/submit";
import { markTargetPending } from "@/db/queries/request-targets";
import { setupTestDatabase, queryRows } from "../../setup/database";
import { api, createGatewayTenant, setupAppServer, wipeRequest } from "../../setup/gateway";
import { startStubAuthorizer } from "../../setup/stub-authorizer";

// The answer "pending" finishes the submit job in the same statement that records it: only for the
// run holding the job's lease, as a separate completion did.
const db = setupTestDatabase();
const appUrl = setupAppServer();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const rows = <T>(query: SQL) => queryRows<T>(db(), query);

async function pendingWorld() {
  let keys: any[] = [];
  const stub = await startStubAuthorizer({ mode: "pending", trustedSpKeys: () => keys });
  cleanups.push(stub.close);
  const tenant = await createGatewayTenant(db(), {
    appUrl: appUrl(),
    authorizers: [{ name: "reviewing", url: stub.url }],
  });
  keys = await tenant.spKeys();
  const jobsOf = (requestId: string) =>
    rows<{ kind: string; lease_token: string }>(
      sql`select kind, lease_token::text from jobs where request_id = ${requestId} order by kind::text`,
    );
  return { stub, tenant, jobsOf };
}

describe("a submit the authorizer answers pending", () => {
  // Expiry is no job: the sweep over pending requests past expiresAt ends them (lib/gateway/expiry.ts).
  it("leaves the poll job only: no submit job, no expiry job", async () => {
    const w = await pendingWorld();
    const submitted = await api(appUrl(), w.tenant.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest());
    expect(submitted.status).toBe(202);
    expect((await w.jobsOf(submitted.body.requestId)).map((j) => j.kind)).toEqual(["poll"]);
    const [target] = await rows<{ state: string }>(
      sql`select state from request_targets where request_id = ${submitted.body.requestId}`,
    );
    expect(target?.state).toBe("pending");
  });

  // Issue 16's cut: the timeline is written without a foreign-key check, which locked (wrote) the
  // request row once per statement; and the request is received and routed in one event, not two.
  it("writes three timeline events and never locks the request row", async () => {
    const w = await pendingWorld();
    const submitted = await api(appUrl(), w.tenant.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest());
    expect(submitted.status).toBe(202);
    const events = await rows<{ type: string; data: Record<string, unknown> }>(
      sql`select type, data from request_events where request_id = ${submitted.body.requestId} order by id`,
    );
    expect(events.map((e) => e.type)).toEqual(["received", "authorizer_attempt", "submitted"]);
    expect(events[0]!.data).toMatchObject({ actionType: "device.wipe", targets: ["reviewing"], fallback: false });
    // A row lock is written into the row itself (xmax): a timeline write must leave it alone.
    const [request] = await rows<{ xmax: string }>(
      sql`select xmax::text from authorization_requests where request_id = ${submitted.body.requestId}`,
    );
    expect(request).toEqual({ xmax: "0" });
  });

  // Pending answers of one tenant are written in batches (db/group-commit.ts) while a write is in flight:
  // concurrent submits must each end exactly as one alone does.
  it("records concurrent pending submits each whole: three events in order, one poll job, no submit job", async () => {
    const w = await pendingWorld();
    // In process, all at once, so answers arrive while a write is in flight and go out in batches (on
    // PostgreSQL; PGlite runs one query at a time, and there most go out alone).
    const answers = await Promise.all(
      Array.from({ length: 24 }, () =>
        submitAuthorizationRequest(db(), w.tenant.ctx, submitRequestSchema.parse(wipeRequest()), null),
      ),
    );
    expect(answers.map((a) => a.view.status)).toEqual(Array(24).fill("pending"));
    const ids = answers.map((a) => a.view.requestId);
    const found = await rows<{ request_id: string; types: string[]; jobs: string[]; state: string }>(sql`
      select t.request_id, t.state,
        (select array_agg(e.type order by e.id) from request_events e where e.request_id = t.request_id) as types,
        (select array_agg(j.kind::text) from jobs j where j.request_id = t.request_id) as jobs
      from request_targets t where t.request_id in ${ids}`);
    expect(found).toHaveLength(24);
    for (const row of found) {
      expect(row).toMatchObject({
        state: "pending",
        types: ["received", "authorizer_attempt", "submitted"],
        jobs: ["poll"],
      });
    }
  });

  it("records pending from a run whose lease was taken over, but leaves the new holder's submit job alone", async () => {
    const w = await pendingWorld();
    const { request, jobsToRun, hint } = await recordAuthorizationRequest(
      db(),
      w.tenant.ctx,
      wipeRequest() as never,
      null,
    );
    const [stale] = jobsToRun;
    // Another worker claims the job: a new lease token fences the first run out.
    const [taken] = await rows<{ lease_token: string }>(
      sql`update jobs set lease_token = gen_random_uuid() where id = ${stale!.id} returning lease_token::text`,
    );
    await runJob(db(), stale!, hint);
    expect(w.stub.state.received.has(request.requestId)).toBe(true);
    const jobs = await w.jobsOf(request.requestId);
    expect(jobs.map((j) => j.kind)).toEqual(["poll", "submit"]);
    expect(jobs.find((j) => j.kind === "submit")?.lease_token).toBe(taken!.lease_token);
    const [target] = await rows<{ state: string }>(
      sql`select state from request_targets where request_id = ${request.requestId}`,
    );
    expect(target?.state).toBe("pending");
  });

  // One batch, built on purpose: with two lanes, the first two calls go out alone and the rest wait for
  // them and go out together, whatever the database.
  it("writes each item of one batch as it would alone, and nothing for another tenant's request", async () => {
    let keys: any[] = [];
    const stub = await startStubAuthorizer({ mode: "pending", trustedSpKeys: () => keys });
    cleanups.push(stub.close);
    const tenant = await createGatewayTenant(db(), {
      appUrl: appUrl(),
      authorizers: [
        { name: "first", url: stub.url },
        { name: "second", url: stub.url },
      ],
    });
    const other = await createGatewayTenant(db(), {
      appUrl: appUrl(),
      authorizers: [{ name: "theirs", url: stub.url }],
    });
    keys = [...(await tenant.spKeys()), ...(await other.spKeys())];
    const record = async (t: typeof tenant) =>
      recordAuthorizationRequest(db(), t.ctx, wipeRequest() as never, null).then((r) => r.jobsToRun);
    const [fillerA, fillerB, both, takenOver] = [
      await record(tenant),
      await record(tenant),
      await record(tenant),
      await record(tenant),
    ];
    const [theirs] = await record(other);
    // The first run of takenOver's first target lost its job to a second run (a new lease token).
    const [newToken] = await rows<{ lease_token: string }>(
      sql`update jobs set lease_token = gen_random_uuid() where id = ${takenOver[0]!.id} returning lease_token::text`,
    );
    const pending = (job: (typeof both)[number], code = "none") =>
      markTargetPending(db(), tenant.ctx, {
        requestId: job.requestId,
        authorizerId: job.target,
        events: [
          { type: "authorizer_attempt", authorizerId: job.target, data: { errorCode: code } },
          { type: "submitted", authorizerId: job.target, data: { status: "pending" } },
        ],
        pollInSeconds: 30,
        lease: job,
      });
    await Promise.all([
      pending(fillerA[0]!),
      pending(fillerB[0]!),
      // The batch: two targets of one request, a stale and a current run of one target, another
      // tenant's request, and text the database cannot hold as it is (an authorizer chose it).
      pending(both[0]!),
      pending(both[1]!),
      pending(takenOver[0]!),
      pending({ ...takenOver[0]!, leaseToken: newToken!.lease_token }),
      pending(theirs!),
      pending(takenOver[1]!, "x\u0000y"),
    ]);
    const stateOf = (requestId: string) =>
      rows<{ target: string; state: string; types: string[]; jobs: string[] }>(sql`
        select t.authorizer_id::text as target, t.state,
          coalesce((select array_agg(e.type || coalesce(':' || (e.data->>'errorCode'), '') order by e.id)
            from request_events e where e.request_id = t.request_id and (e.authorizer_id = t.authorizer_id or e.authorizer_id is null)), '{}') as types,
          coalesce((select array_agg(j.kind::text order by j.kind::text) from jobs j
            where j.request_id = t.request_id and j.target = t.authorizer_id::text), '{}') as jobs
        from request_targets t where t.request_id = ${requestId} order by t.authorizer_id`);
    for (const job of both) {
      const [mine] = (await stateOf(job.requestId)).filter((t) => t.target === job.target);
      expect(mine).toEqual({
        target: job.target,
        state: "pending",
        types: ["received", "authorizer_attempt:none", "submitted"],
        jobs: ["poll"],
      });
    }
    const taken = await stateOf(takenOver[0]!.requestId);
    expect(taken.find((t) => t.target === takenOver[0]!.target)).toMatchObject({
      state: "pending",
      // Both runs heard "pending": both attempts are in the timeline, as they were one statement each.
      types: ["received", "authorizer_attempt:none", "submitted", "authorizer_attempt:none", "submitted"],
      jobs: ["poll"],
    });
    expect(taken.find((t) => t.target === takenOver[1]!.target)).toMatchObject({
      state: "pending",
      types: ["received", "authorizer_attempt:x\ufffdy", "submitted"],
      jobs: ["poll"],
    });
    expect(await stateOf(theirs!.requestId)).toEqual([
      { target: theirs!.target, state: "queued", types: ["received"], jobs: ["submit"] },
    ]);
  });
});
