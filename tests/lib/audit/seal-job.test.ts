import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { sealAuditBatch } from "@/db/queries/audit-seal";
import { claimDueJobs, leaseOf } from "@/db/queries/system/jobs";
import { enqueueDueSealJobs, sealJobKey } from "@/db/queries/system/audit-seal-jobs";
import { jobContext } from "@/lib/auth/system-context";
import { auditWorld } from "../../setup/audit-world";
import { setupTestDatabase } from "../../setup/database";
import { setupAppServer } from "../../setup/gateway";

const db = setupTestDatabase();
const appUrl = setupAppServer();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const counts = async (tenantId: string) =>
  (
    (await db()
      .execute(sql`select (select count(*) from request_events where tenant_id = ${tenantId} and checkpoint_seq is null)::int as unsealed,
    (select count(*) from audit_checkpoints where tenant_id = ${tenantId})::int as checkpoints`)) as unknown as {
      rows: { unsealed: number; checkpoints: number }[];
    }
  ).rows[0]!;

describe("the seal job", () => {
  it("writes nothing once its lease was taken over, and seals in batches while it holds it", async () => {
    const w = await auditWorld(db(), appUrl(), 2);
    cleanups.push(w.close);
    await enqueueDueSealJobs(db());
    const [job] = await claimDueJobs(
      db(),
      1,
      { seconds: 30 },
      { requestId: sealJobKey(w.tenant.tenantId), kinds: ["seal"] },
    );
    expect(job).toBeDefined();
    const stale = leaseOf(job!);
    // Another worker claims the job (its lease ran out): a new lease token fences the first run out.
    await db().execute(sql`update jobs set lease_token = gen_random_uuid() where id = ${job!.id}`);
    const before = await counts(w.tenant.tenantId);
    expect(await sealAuditBatch(db(), jobContext(job!), stale, 5)).toMatchObject({
      sealed: 0,
      skipped: "lost_lease",
    });
    expect(await counts(w.tenant.tenantId)).toEqual(before);

    const [current] = (
      (await db().execute(sql`select id, lease_token from jobs where id = ${job!.id}`)) as unknown as {
        rows: { id: number; lease_token: string }[];
      }
    ).rows;
    const lease = { jobId: Number(current!.id), token: current!.lease_token };
    const first = await sealAuditBatch(db(), jobContext(job!), lease, 5);
    expect(first).toMatchObject({ sealed: 5, seq: 1, more: true });
    const second = await sealAuditBatch(db(), jobContext(job!), lease, 1000);
    expect(second.seq).toBe(2);
    expect(await counts(w.tenant.tenantId)).toEqual({ unsealed: 0, checkpoints: 2 });
  });
});
