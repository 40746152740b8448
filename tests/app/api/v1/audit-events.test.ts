import { describe, expect, it } from "vitest";
import * as auditEvents from "@/app/api/v1/audit-events/route";
import * as authorizerItem from "@/app/api/v1/authorizers/[name]/route";
import * as callback from "@/app/api/stepauth/callback/[authorizerId]/route";
import { recordAuditEvent } from "@/db/queries/audit";
import { issueTenantContext } from "@/lib/auth/tenant-context";
import { generateKeyPair, signJsonPayload } from "@/lib/stepauth";
import { bearer, callRoute } from "../../../setup/http";
import { createTestTenant, setupTestDatabase } from "../../../setup/database";
import { createAuthorizerThroughApi } from "./authorizer-fixtures";

const db = setupTestDatabase();

async function allAuditEvents(apiKey: string, limit: number) {
  const pages: any[][] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=${limit}&cursor=${cursor}` : `?limit=${limit}`;
    const page = await callRoute(auditEvents.GET, { path: `/api/v1/audit-events${query}`, headers: bearer(apiKey) });
    expect(page.status).toBe(200);
    pages.push(page.body.data);
    cursor = page.body.nextCursor;
  } while (cursor !== null && pages.length < 50);
  return pages;
}

describe("refused callbacks cannot flood the audit trail", () => {
  it("150 junk callbacks write at most a handful of audit rows, with the count and the first cause, and show as authorizer health", async () => {
    const t = await createTestTenant(db());
    const authorizer = await createAuthorizerThroughApi(t.apiKey, "default");
    const forger = generateKeyPair();
    const post = (json: unknown) =>
      callRoute(callback.POST, {
        method: "POST",
        path: `/api/stepauth/callback/${authorizer.id}`,
        json,
        params: { authorizerId: authorizer.id },
      });
    expect((await post({ payload: "junk" })).body.error).toBe("malformed_request");
    for (let i = 0; i < 149; i++) {
      const forged = signJsonPayload({ requestId: `req_${"x".repeat(16)}${i}`, decision: "approved" }, [
        { keyId: "default-key-1", privateKey: forger.privateKey },
      ]);
      const answer = await post(forged);
      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe("invalid_signature");
    }
    const rows = (await allAuditEvents(t.apiKey, 200)).flat().filter((e) => e.action === "callback.refused");
    // One row per minute: two when the 150 posts straddle a minute boundary.
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows.reduce((sum, e) => sum + e.data.count, 0)).toBe(150);
    const oldest = rows.at(-1);
    expect(oldest).toMatchObject({
      target: "default",
      data: { authorizerId: authorizer.id, firstCause: "malformed_request" },
    });
    expect(rows[0].data.lastCause).toBe("invalid_signature");

    const view = await callRoute(authorizerItem.GET, { headers: bearer(t.apiKey), params: { name: "default" } });
    expect(view.body.callbackHealth).toMatchObject({
      refusedLastHour: 150,
      lastCause: "invalid_signature",
      lastRefusedAt: expect.any(String),
    });
  });

  it("another tenant's authorizer health and audit trail are untouched", async () => {
    const t = await createTestTenant(db());
    await createAuthorizerThroughApi(t.apiKey, "default");
    const view = await callRoute(authorizerItem.GET, { headers: bearer(t.apiKey), params: { name: "default" } });
    expect(view.body.callbackHealth).toEqual({ refusedLastHour: 0, lastCause: null, lastRefusedAt: null });
    const rows = (await allAuditEvents(t.apiKey, 100)).flat();
    expect(rows.some((e) => e.action === "callback.refused")).toBe(false);
  });
});

describe("GET /api/v1/audit-events pages with a cursor", () => {
  it("returns every row exactly once across pages, newest first", async () => {
    const t = await createTestTenant(db());
    const ctx = issueTenantContext(t.tenantId, { type: "user", userId: t.owner.id, role: "owner" });
    // Many rows in one transaction share one created_at: only the id orders them, so the cursor must carry it.
    await db().transaction(async (tx) => {
      for (let i = 0; i < 120; i++) await recordAuditEvent(tx as never, ctx, { action: "test.event", target: `t${i}` });
    });
    for (let i = 0; i < 130; i++) await recordAuditEvent(db(), ctx, { action: "test.event", target: `u${i}` });
    const pages = await allAuditEvents(t.apiKey, 100);
    const rows = pages.flat().filter((e) => e.action === "test.event");
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(rows).toHaveLength(250);
    expect(new Set(rows.map((e) => e.id)).size).toBe(250);
    const times = pages.flat().map((e) => new Date(e.createdAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("refuses a cursor it did not issue and a bad limit with 400", async () => {
    const t = await createTestTenant(db());
    // Cursors shaped like ours whose dates PostgreSQL refuses (year 0000, month 13) must not reach the query.
    const forged = ["0000-01-01T00:00:00.000000Z", "2024-13-45T99:99:99.000000Z"].map(
      (at) => `?cursor=${Buffer.from(`${at}|00000000-0000-4000-8000-000000000000`).toString("base64url")}`,
    );
    for (const query of ["?cursor=not-a-cursor", "?limit=0", "?limit=1000", ...forged]) {
      const answer = await callRoute(auditEvents.GET, {
        path: `/api/v1/audit-events${query}`,
        headers: bearer(t.apiKey),
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe("validation_failed");
    }
  });
});
