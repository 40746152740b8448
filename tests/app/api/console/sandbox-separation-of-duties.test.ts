import { afterEach, describe, expect, it } from "vitest";
import { demoAction } from "@/lib/demo/actions";
import { setupTestDatabase } from "../../../setup/database";
import { asReviewer, sandboxTenant, setupGatewayWithSandbox } from "../../../lib/sandbox/world";

// Issue 18 item 7: a reviewer may not approve a request they asked for themselves (separation of duties).
const db = setupTestDatabase();
const appUrl = setupGatewayWithSandbox();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** The $4.2M wire, operated by the person with this e-mail (written as the service sent it). */
function wireOperatedBy(email: string) {
  const body = structuredClone(demoAction("wire").body) as any;
  body.principal.operator.attributes = body.principal.operator.attributes.map((a: any) =>
    a.key === "email" ? { ...a, value: email } : a,
  );
  return body;
}

async function world() {
  const w = await sandboxTenant(db(), appUrl());
  cleanups.push(w.service.close);
  const inboxItem = async (requestId: string) =>
    ((await asReviewer(w.tenant.owner.id).inbox()).body.requests as any[]).find((r) => r.requestId === requestId);
  return { ...w, inboxItem };
}

describe("POST /api/console/sandbox/requests/{id}/reviews: separation of duties", () => {
  it("refuses an approval by a reviewer whose e-mail is in the principal chain, in any letter case", async () => {
    const w = await world();
    const requestId = (await w.submit(wireOperatedBy(w.tenant.owner.email.toUpperCase()))).body.requestId as string;
    const item = await w.inboxItem(requestId);
    const refused = await asReviewer(w.tenant.owner.id).review(item.id, "approve", "Looks fine to me");
    expect(refused).toMatchObject({ status: 403, body: { error: "separation_of_duties" } });
    expect(refused.body.message).toMatch(/principal chain/);
    expect((await w.inboxItem(requestId)).reviews).toHaveLength(0);
    expect((await w.get(requestId)).body.status).toBe("pending");
  });

  it("still lets that reviewer deny their own request, and other reviewers approve it", async () => {
    const w = await world();
    const denied = (await w.submit(wireOperatedBy(w.tenant.owner.email))).body.requestId as string;
    const deniedItem = await w.inboxItem(denied);
    expect(
      (await asReviewer(w.tenant.owner.id).review(deniedItem.id, "deny", "I did not mean to send this")).body.request
        .status,
    ).toBe("denied");

    const approved = (await w.submit(wireOperatedBy(w.tenant.owner.email))).body.requestId as string;
    const approvedItem = await w.inboxItem(approved);
    expect(
      (await asReviewer(w.admin.id).review(approvedItem.id, "approve", "Invoice matches the ERP")).body,
    ).toMatchObject({ decided: false, approvals: 1 });
    expect(await asReviewer(w.tenant.owner.id).review(approvedItem.id, "approve")).toMatchObject({
      status: 403,
      body: { error: "separation_of_duties" },
    });
  });

  it("does not stop a reviewer who is not in the chain", async () => {
    const w = await world();
    const requestId = (await w.submit(demoAction("wipe").body)).body.requestId as string;
    const item = await w.inboxItem(requestId);
    expect(
      (await asReviewer(w.tenant.owner.id).review(item.id, "approve", "Offboarding ticket verified")).body,
    ).toMatchObject({ decided: true });
  });
});
