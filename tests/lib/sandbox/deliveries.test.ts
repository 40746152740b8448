import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { claimDueSandboxDeliveries, recordSandboxDeliveryAttempt } from "@/db/queries/system/sandbox-deliveries";
import { sandboxDeliveries, sandboxRequests } from "@/db/schema";
import {
  ensureSandboxSigningKey,
  expireOverdueSandboxRequests,
  reviewSandboxRequest,
  runSandboxDeliveries,
  SANDBOX_DELIVERY_MAX_ATTEMPTS,
} from "@/lib/sandbox";
import { decisionSchema, verifyEnvelope } from "@/lib/stepauth";
import { setupTestDatabase } from "../../setup/database";
import { registerSp, signedRequest, submit } from "./fixtures";

const db = setupTestDatabase();
const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** An SP callback endpoint that answers each POST with the next scripted status and body. */
async function callbackServer(answers: { status: number; body?: unknown }[]) {
  const received: string[] = [];
  const server = createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    received.push(raw);
    const next = answers.length > 1 ? answers.shift()! : answers[0]!;
    res.writeHead(next.status, { "content-type": "application/json" }).end(JSON.stringify(next.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stepauth/cb`, received };
}

async function pendingRequest(callbackUrl: string, spId: string, expiresInMs = 30 * 60_000) {
  const sp = await registerSp(db(), { spId, callbackUrlPattern: callbackUrl, rules: [] });
  const now = Date.now();
  const { payload, envelope } = signedRequest({
    spId,
    callbackUrl,
    timestamp: new Date(now).toISOString(),
    expiresAt: new Date(now + expiresInMs).toISOString(),
  });
  expect((await submit(envelope)).status).toBe(202);
  const [row] = await db().select().from(sandboxRequests).where(eq(sandboxRequests.requestId, payload.requestId));
  return { ...sp, row: row!, payload };
}

const makeDue = (id: string) =>
  db()
    .update(sandboxDeliveries)
    .set({ nextAttemptAt: sql`now() - interval '1 second'` })
    .where(eq(sandboxDeliveries.sandboxRequestId, id));

describe("decision delivery to the SP's callback URL", () => {
  it("stores the exact signed payload, retries a 503 with backoff, then records the SP's execution result once", async () => {
    const callback = await callbackServer([
      { status: 503 },
      {
        status: 200,
        body: { requestId: "req_0000000000000000abcd", status: "error", error: "Device is no longer enrolled" },
      },
    ]);
    const { ctx, row, payload } = await pendingRequest(callback.url, "sp_delivery_retry");
    expect(Buffer.from(row.payload, "base64").toString("utf8")).toBe(JSON.stringify(payload));

    const reviewed = await reviewSandboxRequest(db(), ctx, row.id, { verdict: "approve", reason: "Ticket HR-2231" });
    expect(reviewed.request.status).toBe("approved");
    const [afterFirst] = await db()
      .select()
      .from(sandboxDeliveries)
      .where(eq(sandboxDeliveries.sandboxRequestId, row.id));
    expect(afterFirst).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 503 });
    expect(afterFirst!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(await runSandboxDeliveries(db(), { sandboxRequestId: row.id })).toBe(0);

    await makeDue(row.id);
    expect(await runSandboxDeliveries(db(), { sandboxRequestId: row.id })).toBe(1);
    const [delivered] = await db().select().from(sandboxRequests).where(eq(sandboxRequests.id, row.id));
    expect(delivered).toMatchObject({ executionStatus: "error", executionError: "Device is no longer enrolled" });
    expect(await runSandboxDeliveries(db(), { sandboxRequestId: row.id })).toBe(0);
    expect(callback.received).toHaveLength(2);

    const key = await ensureSandboxSigningKey(db());
    const decision = decisionSchema.parse(
      verifyEnvelope(callback.received[1], [{ keyId: key.keyId, publicKey: key.publicKey }]).payload,
    );
    expect(decision).toMatchObject({
      requestId: payload.requestId,
      decision: "approved",
      reason: "Ticket HR-2231",
      reviewers: [{ type: "human" }],
    });
  });

  it("gives up at once on a 4xx answer, and after the last attempt on repeated 5xx", async () => {
    const refusing = await callbackServer([{ status: 401, body: { error: "invalid_signature", message: "who?" } }]);
    const first = await pendingRequest(refusing.url, "sp_delivery_refused");
    await reviewSandboxRequest(db(), first.ctx, first.row.id, { verdict: "deny", reason: "No ticket" });
    const [refused] = await db()
      .select()
      .from(sandboxDeliveries)
      .where(eq(sandboxDeliveries.sandboxRequestId, first.row.id));
    expect(refused).toMatchObject({
      status: "failed",
      attempts: 1,
      lastStatusCode: 401,
      lastError: "invalid_signature: who?",
    });

    const down = await callbackServer([{ status: 502 }]);
    const second = await pendingRequest(down.url, "sp_delivery_down");
    await reviewSandboxRequest(db(), second.ctx, second.row.id, { verdict: "deny", reason: "No ticket" });
    await db()
      .update(sandboxDeliveries)
      .set({ attempts: SANDBOX_DELIVERY_MAX_ATTEMPTS - 1 })
      .where(eq(sandboxDeliveries.sandboxRequestId, second.row.id));
    await makeDue(second.row.id);
    await runSandboxDeliveries(db(), { sandboxRequestId: second.row.id });
    const [gaveUp] = await db()
      .select()
      .from(sandboxDeliveries)
      .where(eq(sandboxDeliveries.sandboxRequestId, second.row.id));
    expect(gaveUp).toMatchObject({ status: "failed", attempts: SANDBOX_DELIVERY_MAX_ATTEMPTS, lastStatusCode: 502 });
  });

  it("expires an overdue request with a signed expired decision, delivers it, and refuses a late review", async () => {
    const callback = await callbackServer([
      { status: 200, body: { requestId: "req_0000000000000000abcd", status: "success" } },
    ]);
    const { ctx, row } = await pendingRequest(callback.url, "sp_delivery_expiry", 60_000);
    await expect(
      reviewSandboxRequest(db(), ctx, row.id, { verdict: "approve", reason: "late" }, new Date(Date.now() + 120_000)),
    ).rejects.toMatchObject({ code: "request_expired" });
    expect(await expireOverdueSandboxRequests(db(), new Date(Date.now() + 120_000))).toBeGreaterThanOrEqual(1);
    await runSandboxDeliveries(db(), { sandboxRequestId: row.id });
    const [expired] = await db().select().from(sandboxRequests).where(eq(sandboxRequests.id, row.id));
    expect(expired).toMatchObject({ status: "expired", executionStatus: "success" });
    expect(JSON.parse(Buffer.from(JSON.parse(callback.received[0]!).payload, "base64").toString("utf8")).decision).toBe(
      "expired",
    );
    await expect(reviewSandboxRequest(db(), ctx, row.id, { verdict: "approve", reason: "late" })).rejects.toMatchObject(
      { code: "request_expired" },
    );
  });
  it("records nothing from a run whose lease ran out once another run took the delivery over", async () => {
    const down = await callbackServer([{ status: 503 }]);
    const { ctx, row } = await pendingRequest(down.url, "sp_delivery_fenced");
    await reviewSandboxRequest(db(), ctx, row.id, { verdict: "approve", reason: "Ticket HR-2232" });
    await makeDue(row.id);
    const [stale] = await claimDueSandboxDeliveries(db(), { sandboxRequestId: row.id, limit: 1, leaseSeconds: 60 });
    // The first run stalls past its lease (a GC pause, a hung socket); a second run takes the delivery.
    await db()
      .update(sandboxDeliveries)
      .set({ lockedUntil: sql`now() - interval '1 second'` })
      .where(eq(sandboxDeliveries.sandboxRequestId, row.id));
    const [current] = await claimDueSandboxDeliveries(db(), { sandboxRequestId: row.id, limit: 1, leaseSeconds: 60 });
    expect(current!.attempts).toBe(stale!.attempts + 1);
    // While the second run is still sending (the delivery pending and leased), the stale run's answer
    // is refused by the attempt it counted alone.
    await recordSandboxDeliveryAttempt(db(), stale!, {
      delivered: true,
      statusCode: 200,
      execution: { status: "error", error: "answered to the stale run" },
    });
    const [meanwhile] = await db()
      .select()
      .from(sandboxDeliveries)
      .where(eq(sandboxDeliveries.sandboxRequestId, row.id));
    expect(meanwhile).toMatchObject({ status: "pending", attempts: current!.attempts });
    const [untouched] = await db().select().from(sandboxRequests).where(eq(sandboxRequests.id, row.id));
    expect(untouched!.executionStatus).toBeNull();
    await recordSandboxDeliveryAttempt(db(), current!, {
      delivered: true,
      statusCode: 200,
      execution: { status: "success", error: null },
    });
    // The stale run's answers arrive late: a failure, then (had it been retried) a different result.
    await recordSandboxDeliveryAttempt(db(), stale!, {
      delivered: false,
      statusCode: 503,
      error: "HTTP 503",
      retryInMs: 1_000,
    });
    await recordSandboxDeliveryAttempt(db(), stale!, {
      delivered: true,
      statusCode: 200,
      execution: { status: "error", error: "ran twice?" },
    });
    const [delivery] = await db()
      .select()
      .from(sandboxDeliveries)
      .where(eq(sandboxDeliveries.sandboxRequestId, row.id));
    expect(delivery).toMatchObject({
      status: "delivered",
      attempts: current!.attempts,
      lastStatusCode: 200,
      lastError: null,
    });
    const [request] = await db().select().from(sandboxRequests).where(eq(sandboxRequests.id, row.id));
    expect(request).toMatchObject({ executionStatus: "success", executionError: null });
  });
});
