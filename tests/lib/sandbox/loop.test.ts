import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { sandboxRequests } from "@/db/schema";
import { demoAction } from "@/lib/demo/actions";
import { setupTestDatabase } from "../../setup/database";
import { api, drainJobs } from "../../setup/gateway";
import { asReviewer, sandboxTenant, setupGatewayWithSandbox } from "./world";

const db = setupTestDatabase();
const appUrl = setupGatewayWithSandbox();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function world(options: Parameters<typeof sandboxTenant>[2] = {}) {
  const w = await sandboxTenant(db(), appUrl(), options);
  cleanups.push(w.service.close);
  return w;
}

const inboxItemFor = async (userId: string, requestId: string) =>
  ((await asReviewer(userId).inbox()).body.requests as any[]).find((r) => r.requestId === requestId);

describe("the StepAuth loop through the sandbox authorizer over real HTTP", () => {
  it("waits for a reviewer on the wipe, then approves, delivers, executes once and records the result", async () => {
    const w = await world();
    const submitted = await w.submit(demoAction("wipe").body);
    expect(submitted).toMatchObject({ status: 202, body: { status: "pending" } });
    const requestId = submitted.body.requestId as string;
    const item = await inboxItemFor(w.tenant.owner.id, requestId);
    expect(item).toMatchObject({
      status: "pending",
      requiredApprovals: 1,
      policyRule: "Agents need a human",
      actionType: "device.wipe",
    });
    expect(item.summary).toContain("C02ZX1ABCDEF");

    const reviewed = await asReviewer(w.tenant.owner.id).review(
      item.id,
      "approve",
      "Offboarding ticket HR-2231 verified",
    );
    expect(reviewed).toMatchObject({
      status: 200,
      body: {
        decided: true,
        request: { status: "approved", executionStatus: "success", delivery: { status: "delivered", attempts: 1 } },
      },
    });
    expect(w.service.state.executions.get(requestId)).toBe(1);
    const gateway = await w.get(requestId);
    expect(gateway.body.status).toBe("approved");
    expect(JSON.stringify(gateway.body)).toContain("Test owner");
  });

  it("records a result report: accepted at the callback, the reported result on the decided card", async () => {
    const w = await world({ serviceAnswer: "accepted" });
    const requestId = (await w.submit(demoAction("wipe").body)).body.requestId as string;
    const item = await inboxItemFor(w.tenant.owner.id, requestId);
    const reviewed = await asReviewer(w.tenant.owner.id).review(
      item.id,
      "approve",
      "Offboarding ticket HR-2231 verified",
    );
    expect(reviewed.body.request).toMatchObject({ status: "approved", executionStatus: "accepted" });
    const execution = `/api/v1/authorization-requests/${requestId}/execution`;
    expect((await api(appUrl(), w.tenant.apiKey, "POST", execution)).status).toBe(200);
    expect(
      (await api(appUrl(), w.tenant.apiKey, "POST", execution, { status: "error", error: "device offline" })).status,
    ).toBe(200);
    await db().execute(sql`update jobs set run_at = now() where request_id = ${requestId} and kind = 'report'`);
    await drainJobs(db());
    const decided = ((await asReviewer(w.tenant.owner.id).inbox("decided")).body.requests as any[]).find(
      (r) => r.requestId === requestId,
    );
    expect(decided).toMatchObject({ executionStatus: "error", executionError: "device offline" });
    expect(decided.executionReportedAt).toBeTruthy();
    const timeline = (await w.get(requestId)).body.events.map((e: any) => e.type);
    expect(timeline).toContain("result_reported");
  });

  it("approves a refund under 100.00 and the time-boxed AWS grant by policy, at once", async () => {
    const w = await world();
    const small = structuredClone(demoAction("refund").body);
    small.action.details[0]!.value = "42.00";
    expect((await w.submit(small)).body.status).toBe("approved");
    const grant = await w.submit(demoAction("aws-admin").body);
    expect(grant.body.status).toBe("approved");
    const [row] = await db().select().from(sandboxRequests).where(eq(sandboxRequests.requestId, grant.body.requestId));
    expect(row).toMatchObject({ status: "approved", policyRule: "Time-boxed incident access is granted" });
    expect((await w.submit(demoAction("refund").body)).body.status).toBe("pending");
  });

  it("holds the $4.2M wire after one approval, approves it after a second reviewer's", async () => {
    const w = await world();
    const requestId = (await w.submit(demoAction("wire").body)).body.requestId as string;
    const item = await inboxItemFor(w.tenant.owner.id, requestId);
    expect(item.requiredApprovals).toBe(2);
    expect((await asReviewer(w.tenant.owner.id).review(item.id, "approve")).body).toMatchObject({
      decided: false,
      approvals: 1,
      request: { status: "pending" },
    });
    expect((await w.get(requestId)).body.status).toBe("pending");
    expect(await asReviewer(w.tenant.owner.id).review(item.id, "approve")).toMatchObject({
      status: 409,
      body: { error: "conflict" },
    });
    expect((await asReviewer(w.admin.id).review(item.id, "approve")).body).toMatchObject({
      decided: true,
      approvals: 2,
      request: { status: "approved", executionStatus: "success" },
    });
    expect((await w.get(requestId)).body.status).toBe("approved");
    expect(w.service.state.executions.get(requestId)).toBe(1);
  });

  it("denies the wire when either reviewer denies, before or after the other's approval", async () => {
    const w = await world();
    const first = (await w.submit(demoAction("wire").body)).body.requestId as string;
    const firstItem = await inboxItemFor(w.tenant.owner.id, first);
    await asReviewer(w.tenant.owner.id).review(firstItem.id, "approve");
    expect(
      (await asReviewer(w.admin.id).review(firstItem.id, "deny", "Invoice not in the ERP")).body.request.status,
    ).toBe("denied");
    const second = (await w.submit(demoAction("wire").body)).body.requestId as string;
    const secondItem = await inboxItemFor(w.tenant.owner.id, second);
    expect(
      (await asReviewer(w.admin.id).review(secondItem.id, "deny", "Unknown beneficiary")).body.request.status,
    ).toBe("denied");
    expect(await asReviewer(w.tenant.owner.id).review(secondItem.id, "approve")).toMatchObject({
      status: 409,
      body: { error: "already_decided" },
    });
    expect((await w.get(first)).body.status).toBe("denied");
    expect((await w.get(second)).body.status).toBe("denied");
    expect(w.service.state.executions.size).toBe(0);
  });

  it("keeps reviewers to their own tenant, and lets viewers look but not decide", async () => {
    const w = await world();
    const other = await world();
    const requestId = (await w.submit(demoAction("wipe").body)).body.requestId as string;
    const item = await inboxItemFor(w.tenant.owner.id, requestId);
    expect(await inboxItemFor(other.tenant.owner.id, requestId)).toBeUndefined();
    expect(await asReviewer(other.tenant.owner.id).review(item.id, "approve")).toMatchObject({
      status: 404,
      body: { error: "not_found" },
    });
    expect(await inboxItemFor(w.viewer.id, requestId)).toBeDefined();
    expect(await asReviewer(w.viewer.id).review(item.id, "approve")).toMatchObject({
      status: 403,
      body: { error: "forbidden" },
    });
    expect((await w.get(requestId)).body.status).toBe("pending");
  });
});
