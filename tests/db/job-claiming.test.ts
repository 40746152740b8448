import { randomBytes } from "node:crypto";
import { and, isNull, lt, ne } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { claimDueJobs, enqueueJobs } from "@/db/queries/system/jobs";
import { jobs } from "@/db/schema";
import { createTestTenant, setupTestDatabase } from "../setup/database";

const db = setupTestDatabase();
const lease = { seconds: 60 };

describe("claiming due jobs is fair across tenants", () => {
  it("takes every tenant's oldest job before anyone's next: a backlog of one tenant does not starve another", async () => {
    const run = randomBytes(4).toString("hex");
    const noisy = await createTestTenant(db());
    const quiet = await createTestTenant(db());
    // Older than any job another test (or another run on a shared database) could have made due.
    const longAgo = Date.parse("2016-01-01T00:00:00Z");
    await enqueueJobs(
      db(),
      Array.from({ length: 40 }, (_, i) => ({
        tenantId: noisy.tenantId,
        kind: "report" as const,
        requestId: `req_noisy_${run}_${i}`,
        runAt: new Date(longAgo + i),
      })),
    );
    await enqueueJobs(
      db(),
      Array.from({ length: 3 }, (_, i) => ({
        tenantId: quiet.tenantId,
        kind: "report" as const,
        requestId: `req_quiet_${run}_${i}`,
        runAt: new Date(longAgo + 1000 + i),
      })),
    );
    // A shared PostgreSQL database may hold other runs' jobs dated even earlier: those tenants take their turn first.
    const earlier = await db()
      .selectDistinct({ tenantId: jobs.tenantId })
      .from(jobs)
      .where(
        and(lt(jobs.runAt, new Date(longAgo + 1000)), ne(jobs.tenantId, noisy.tenantId), isNull(jobs.lockedUntil)),
      );
    const claimed = await claimDueJobs(db(), 2 + earlier.length, lease);
    const ours = claimed.map((j) => j.requestId).filter((id) => id.includes(run));
    // Oldest first would have taken only the noisy tenant's backlog; fair, each tenant gets one turn.
    // (Other runs claiming on a shared PostgreSQL database may take some of these jobs meanwhile, so
    // which of a tenant's jobs this claim got is not asserted, only that each tenant got one turn.)
    expect(ours.filter((id) => id.startsWith("req_quiet_"))).toHaveLength(1);
    expect(ours.filter((id) => id.startsWith("req_noisy_"))).toHaveLength(1);
  });
});

describe("a claim leases each kind for its own length", () => {
  it("uses the kind's seconds from byKind, the default for the rest, and claims only the kinds asked for", async () => {
    const { tenantId } = await createTestTenant(db());
    const requestId = `req_lease_${randomBytes(4).toString("hex")}`;
    await enqueueJobs(db(), [
      { tenantId, kind: "report", requestId },
      { tenantId, kind: "deliver", requestId },
      { tenantId, kind: "poll", requestId },
    ]);
    const claimed = await claimDueJobs(
      db(),
      10,
      { seconds: 60, byKind: { deliver: 600 } },
      { requestId, kinds: ["deliver", "report"] },
    );
    const leaseOf = (kind: string) => {
      const job = claimed.find((j) => j.kind === kind);
      return (job!.lockedUntil!.getTime() - Date.now()) / 1000;
    };
    expect(claimed.map((j) => j.kind).sort()).toEqual(["deliver", "report"]);
    expect(leaseOf("report")).toBeGreaterThan(50);
    expect(leaseOf("report")).toBeLessThanOrEqual(61);
    expect(leaseOf("deliver")).toBeGreaterThan(590);
    expect(await claimDueJobs(db(), 10, lease, { requestId, kinds: [] })).toEqual([]);
  });
});
