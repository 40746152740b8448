import { describe, expect, it } from "vitest";
import * as v1Requests from "@/app/api/v1/authorization-requests/route";
import * as collection from "@/app/api/console/requests/route";
import * as exportRoute from "@/app/api/console/requests/export/route";
import * as item from "@/app/api/console/requests/[requestId]/route";
import * as settings from "@/app/api/console/settings/route";
import * as stats from "@/app/api/console/stats/route";
import { origin } from "../../../setup/http";
import { exportColumns } from "@/lib/console/export-format";
import { sampleRequests } from "@/lib/console/sample-requests";
import { setupTestDatabase } from "../../../setup/database";
import { bearer, callRoute } from "../../../setup/http";
import { createConsoleTenant } from "./console-fixtures";

const db = setupTestDatabase();

// Routing decides at once ($approve / $deny), so requests reach a final state without any authorizer.
async function tenantWithRequests() {
  const t = await createConsoleTenant(db());
  const script = 'request.action.category.startsWith("financial.") ? ["$deny"] : ["$approve"]';
  expect(
    (await callRoute(settings.PUT, { method: "PUT", headers: t.admin, json: { routingScript: script } })).status,
  ).toBe(200);
  for (const [i, sample] of sampleRequests.entries()) {
    const submitted = await callRoute(v1Requests.POST, {
      method: "POST",
      headers: bearer(t.apiKey),
      json: { principal: sample.principal, action: sample.action, externalId: `ext-${sample.id}-${i}` },
    });
    expect(submitted.status).toBe(200);
  }
  return t;
}

async function download(path: string, headers: Record<string, string>) {
  const response = await exportRoute.GET(new Request(origin + path, { headers }), { params: Promise.resolve({}) });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

describe("console audit-trail routes", () => {
  it("filters, pages by keyset and opens a request with its timeline, for a viewer", async () => {
    const t = await tenantWithRequests();
    const denied = await callRoute(collection.GET, {
      headers: t.viewer,
      path: "/api/console/requests?status=denied&range=24h",
    });
    expect(denied.body.data.map((r: any) => r.actionType).sort()).toEqual(["payment.refund", "payment.wire"]);
    const search = await callRoute(collection.GET, {
      headers: t.viewer,
      path: "/api/console/requests?q=MacBook&principalType=agent&category=infra.destroy",
    });
    expect(search.body.data).toHaveLength(1);

    const first = await callRoute(collection.GET, { headers: t.viewer, path: "/api/console/requests?limit=3" });
    expect(first.body.data).toHaveLength(3);
    const second = await callRoute(collection.GET, {
      headers: t.viewer,
      path: `/api/console/requests?limit=3&cursor=${first.body.nextCursor}`,
    });
    expect(second.body).toMatchObject({ nextCursor: null });
    expect(second.body.data).toHaveLength(1);

    const detail = await callRoute(item.GET, {
      headers: t.viewer,
      params: { requestId: search.body.data[0].requestId },
    });
    expect(detail.body).toMatchObject({
      status: "approved",
      principal: { type: "agent", operator: { type: "human" } },
      routing: { targets: ["$approve"] },
    });
    expect(detail.body.events.map((e: any) => e.type)).toEqual(["received", "decided_without_authorizer"]);
    expect(detail.body.events[0].data).toMatchObject({ targets: ["$approve"], fallback: false });
  });

  it("refuses bad filters with a stable code", async () => {
    const t = await createConsoleTenant(db());
    expect(
      (await callRoute(collection.GET, { headers: t.viewer, path: "/api/console/requests?status=maybe" })).body.error,
    ).toBe("validation_failed");
    expect(
      (await callRoute(collection.GET, { headers: t.viewer, path: "/api/console/requests?cursor=garbage" })).body.error,
    ).toBe("validation_failed");
    expect((await download("/api/console/requests/export?format=xml", t.viewer)).status).toBe(400);
  });

  it("exports the filtered list as CSV and JSON Lines", async () => {
    const t = await tenantWithRequests();
    const csv = await download("/api/console/requests/export?format=csv&status=approved", t.viewer);
    expect(csv.type).toContain("text/csv");
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toBe(exportColumns.join(","));
    expect(lines).toHaveLength(3);
    const jsonl = await download("/api/console/requests/export?format=jsonl&status=denied", t.viewer);
    const rows = jsonl.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.t === "request").map((r) => r.status)).toEqual(["denied", "denied"]);
  });

  it("keeps tenants apart: another tenant's request is unknown, its rows never listed or counted", async () => {
    const theirs = await tenantWithRequests();
    const mine = await createConsoleTenant(db());
    const [their] = (await callRoute(collection.GET, { headers: theirs.viewer })).body.data;
    const probe = await callRoute(item.GET, { headers: mine.owner, params: { requestId: their.requestId } });
    expect(probe.status).toBe(404);
    expect(probe.body.error).toBe("unknown_request");
    expect((await callRoute(collection.GET, { headers: mine.owner })).body.data).toEqual([]);
    const exported = (await download("/api/console/requests/export?format=jsonl", mine.owner)).text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(exported.filter((l) => l.t === "request")).toEqual([]);
    expect(exported.filter((l) => l.t === "entry" && l.tenantId !== mine.tenantId)).toEqual([]);
    expect((await callRoute(stats.GET, { headers: mine.owner })).body.last7d).toEqual({
      pending: 0,
      approved: 0,
      denied: 0,
      expired: 0,
      cancelled: 0,
    });
  });

  it("summarises the last 24 hours and 7 days for the overview", async () => {
    const t = await tenantWithRequests();
    const overview = await callRoute(stats.GET, { headers: t.viewer });
    expect(overview.body.last24h).toMatchObject({ approved: 2, denied: 2 });
    expect(overview.body.daily.reduce((sum: number, d: any) => sum + d.count, 0)).toBe(4);
    expect(overview.body.failOpen).toEqual({ total: 0, recent: [] });
    expect(overview.body.latency).toEqual([]);
    expect((await callRoute(stats.GET)).body.error).toBe("unauthenticated");
  });
});
