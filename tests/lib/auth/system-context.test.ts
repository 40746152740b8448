import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { claimDueJobs, enqueueJobs } from "@/db/queries/system/jobs";
import { sql } from "drizzle-orm";
import { findOverdueRequests } from "@/db/queries/system/request-expiry";
import { expiryContext, jobContext } from "@/lib/auth/system-context";
import { assertTenantContext } from "@/lib/auth/tenant-context";
import { createTestTenant, setupTestDatabase } from "../../setup/database";

const db = setupTestDatabase();

describe("a job's system context names its tenant only from a row the database returned", () => {
  it("is issued for a claimed job's tenant, and refused for a copy or a literal naming another tenant", async () => {
    const owner = await createTestTenant(db());
    const victim = await createTestTenant(db());
    const requestId = `req_ctx_${randomBytes(4).toString("hex")}`;
    await enqueueJobs(db(), [{ tenantId: owner.tenantId, kind: "report", requestId }]);
    const [job] = await claimDueJobs(db(), 1, { seconds: 60 }, { requestId });
    expect(assertTenantContext(jobContext(job!))).toBe(owner.tenantId);
    // The back door workerContext(tenantId) was: any tenant id in, a context out.
    expect(() => jobContext({ ...job!, tenantId: victim.tenantId })).toThrow(/read from the database/);
    expect(() => jobContext({ ...job! })).toThrow(/read from the database/);
  });

  it("keeps the tenant the row had when it was read: changing a claimed row's tenantId mints nothing for the new one", async () => {
    const owner = await createTestTenant(db());
    const victim = await createTestTenant(db());
    const requestId = `req_ctx_${randomBytes(4).toString("hex")}`;
    await enqueueJobs(db(), [{ tenantId: owner.tenantId, kind: "report", requestId }]);
    const [job] = await claimDueJobs(db(), 1, { seconds: 60 }, { requestId });
    try {
      job!.tenantId = victim.tenantId;
    } catch {
      // A frozen row refuses the change outright; either way no context may name the victim.
    }
    const issued = (() => {
      try {
        return assertTenantContext(jobContext(job!));
      } catch {
        return null;
      }
    })();
    expect(issued).not.toBe(victim.tenantId);
  });
});

describe("the expiry sweep's system context names its tenant only from an overdue row the database returned", () => {
  it("is issued for a found row's tenant, and refused for a copy, a literal or a row whose tenantId changed", async () => {
    const owner = await createTestTenant(db());
    const victim = await createTestTenant(db());
    const requestId = `req_exp_${randomBytes(4).toString("hex")}`;
    await db()
      .execute(sql`insert into authorization_requests (request_id, tenant_id, body_hash, status, principal, action,
      principal_type, action_type, summary, routing_targets, expires_at)
      values (${requestId}, ${owner.tenantId}, 'h', 'pending', '{}'::jsonb, '{}'::jsonb, 'human', 'x', 'x', '{}', now() - interval '1 second')`);
    const found = (await findOverdueRequests(db(), 100)).find((r) => r.requestId === requestId);
    expect(found).toBeDefined();
    expect(assertTenantContext(expiryContext(found!))).toBe(owner.tenantId);
    expect(() => expiryContext({ ...found!, tenantId: victim.tenantId })).toThrow(/read from the database/);
    expect(() => expiryContext({ ...found! })).toThrow(/read from the database/);
    found!.tenantId = victim.tenantId;
    expect(() => expiryContext(found!)).toThrow(/changed after it was read/);
  });
});
