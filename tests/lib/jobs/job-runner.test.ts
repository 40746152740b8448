import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { jobs, type JobKind } from "@/db/schema";
import { markRowsRead } from "@/db/queries/system-rows";
import { tenantIdOf } from "@/db/queries/tenant-scope";
import { registerJobKind, registerPeriodicTask, runDueJobs, runJob } from "@/lib/jobs/job-runner";
import { runPeriodicTasks } from "@/lib/jobs/registry";
import { createTestTenant, setupTestDatabase, unique } from "../../setup/database";

// This file imports neither lib/gateway/jobs nor lib/sandbox/jobs: no kind is registered but the
// ones a test registers itself.
const db = setupTestDatabase();

/**
 * A job as claimDueJobs leaves it (leased, attempt counted). Written claimed rather than claimed
 * here: on a shared PostgreSQL database another file's worker pass could take a due job first.
 */
async function claimedJob(kind: JobKind) {
  const { tenantId } = await createTestTenant(db());
  const [job] = await db()
    .insert(jobs)
    .values({
      tenantId,
      kind,
      requestId: unique("req"),
      attempts: 1,
      lockedUntil: sql`now() + interval '60 seconds'`,
      leaseToken: randomUUID(),
    })
    .returning();
  // Returned by a statement, as a claim's rows are: the runner acts only for such a row's tenant.
  return markRowsRead([job!])[0]!;
}

const rowOf = async (id: number) => (await db().select().from(jobs).where(eq(jobs.id, id)))[0];

describe("the job runner", () => {
  // First in the file: no kind is registered yet (the tests below register some).
  it("claims only kinds it can run: a pass with no registered kind leaves a due job untouched", async () => {
    const { tenantId } = await createTestTenant(db());
    const [job] = await db()
      .insert(jobs)
      .values({ tenantId, kind: "seal", requestId: unique("req") })
      .returning();
    expect(await runDueJobs(db(), 64)).toBe(0);
    const row = await rowOf(job!.id);
    expect(row).toMatchObject({ attempts: 0, lockedUntil: null, lastError: null });
  });

  it("reschedules a claimed job of a kind nobody registered, with the error, and never deletes it", async () => {
    const job = await claimedJob("purge");
    await runJob(db(), job);
    const row = await rowOf(job.id);
    expect(row).toBeDefined();
    expect(row!.lastError).toBe('no handler is registered for job kind "purge"');
    expect(row!.lockedUntil).toBeNull();
    expect(row!.runAt.getTime()).toBeGreaterThan(Date.now());
    expect(row!.attempts).toBe(1);
  });

  it("runs a registered kind with its tenant's context and the caller's hint, then completes the job", async () => {
    const seen: Array<{ tenantId: string; hint: unknown }> = [];
    registerJobKind<{ answer: number }>("report", async (_db, ctx, _job, hint) => {
      seen.push({ tenantId: tenantIdOf(ctx), hint });
      return { done: true };
    });
    const job = await claimedJob("report");
    await runJob(db(), job, { answer: 42 });
    expect(seen).toEqual([{ tenantId: job.tenantId, hint: { answer: 42 } }]);
    expect(await rowOf(job.id)).toBeUndefined();
  });

  it("reschedules a job whose handler throws, keeping the error", async () => {
    registerJobKind("poll", async () => {
      throw new Error("authorizer unreachable");
    });
    const job = await claimedJob("poll");
    await runJob(db(), job);
    const row = await rowOf(job.id);
    expect(row?.lastError).toBe("authorizer unreachable");
    expect(row?.runAt.getTime()).toBeGreaterThan(Date.now());
  });

  it("runs periodic tasks when due; one that throws does not keep the others from running", async () => {
    const runs: string[] = [];
    registerPeriodicTask("failing", async () => {
      runs.push("failing");
      throw new Error("boom");
    });
    registerPeriodicTask(
      "every minute",
      async () => {
        runs.push("every minute");
        return 3;
      },
      { everyMs: 60_000 },
    );
    const start = Date.now();
    expect(await runPeriodicTasks(db(), start)).toBe(3);
    expect(await runPeriodicTasks(db(), start + 1_000)).toBe(0);
    expect(await runPeriodicTasks(db(), start + 60_000)).toBe(3);
    expect(runs).toEqual(["failing", "every minute", "failing", "failing", "every minute"]);
  });
});
