import { sql, type SQL } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { runJob } from "@/lib/jobs/job-runner";
import { recordAuthorizationRequest } from "@/lib/gateway/record-request";
import { submitAuthorizationRequest, submitRequestSchema } from "@/lib/gateway/submit";
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
});
