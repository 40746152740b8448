import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import * as auditEvents from "@/app/api/console/audit-events/route";
import * as auditExport from "@/app/api/console/audit-events/export/route";
import * as apiKeys from "@/app/api/console/api-keys/route";
import * as authorizers from "@/app/api/console/authorizers/route";
import * as member from "@/app/api/console/members/[userId]/route";
import * as settings from "@/app/api/console/settings/route";
import { users } from "@/db/schema";
import { csvField } from "@/lib/console/export-format";
import { createTestUser, setupTestDatabase } from "../../../setup/database";
import { callRoute, sessionHeaders } from "../../../setup/http";
import { authorizerBody } from "../v1/authorizer-fixtures";
import { createConsoleTenant } from "./console-fixtures";

const db = setupTestDatabase();

async function tenantWithMember() {
  const t = await createConsoleTenant(db());
  const person = await createTestUser(db(), t.tenantId, "admin");
  return { ...t, person, personSession: await sessionHeaders(person.id) };
}

const list = (headers: Record<string, string>, query = "") =>
  callRoute(auditEvents.GET, { headers, path: `/api/console/audit-events${query}` });

async function exportText(headers: Record<string, string>, query: string) {
  const response = await auditExport.GET(
    new Request(`http://gateway.test/api/console/audit-events/export${query}`, { headers }),
    { params: Promise.resolve({}) },
  );
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

describe("the configuration audit log (console)", () => {
  it("names who changed the routing script, with the script before and after", async () => {
    const t = await tenantWithMember();
    expect(
      (await callRoute(authorizers.POST, { method: "POST", headers: t.owner, json: authorizerBody("security") }))
        .status,
    ).toBe(201);
    const put = (routingScript: string) =>
      callRoute(settings.PUT, { method: "PUT", headers: t.personSession, json: { routingScript } });
    expect((await put('["security"]')).status).toBe(200);
    expect((await put('request.action.category == "infra.destroy" ? ["security"] : ["security"]')).status).toBe(200);

    const page = await list(t.viewer, "?kind=routing");
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(2);
    const [latest, first] = page.body.data;
    expect(latest.action).toBe("settings.updated");
    expect(latest.data.routingScript).toContain("infra.destroy");
    expect(latest.data.previous.routingScript).toBe('["security"]');
    expect(first.data.previous.routingScript).toBeNull();
    expect(latest.actor).toMatchObject({ type: "user", email: t.person.email, name: "Test admin", stillMember: true });
  });

  it("keeps a removed member's past changes, named, and says they are no longer a member", async () => {
    const t = await tenantWithMember();
    expect(
      (
        await callRoute(settings.PUT, {
          method: "PUT",
          headers: t.personSession,
          json: { unavailabilityPolicy: "fail_open" },
        })
      ).status,
    ).toBe(200);
    const removed = await callRoute(member.DELETE, {
      method: "DELETE",
      headers: t.owner,
      params: { userId: t.person.id },
    });
    expect(removed.status).toBeLessThan(300);

    const theirs = await list(t.owner, `?actor=${encodeURIComponent(t.person.email)}`);
    expect(theirs.body.data.map((e: { action: string }) => e.action)).toEqual(["settings.updated"]);
    expect(theirs.body.data[0].data.unavailabilityPolicy).toBe("fail_open");
    expect(theirs.body.data[0].actor).toMatchObject({ email: t.person.email, name: "Test admin", stillMember: false });

    const removal = await list(t.owner, "?kind=member");
    const event = removal.body.data.find((e: { action: string }) => e.action === "member.removed");
    expect(event.target).toBe(t.person.id);
    expect(event.data).toMatchObject({ email: t.person.email, name: "Test admin", role: "admin" });
  });

  it("filters by kind and time, pages with nextCursor, and refuses bad filters with 400", async () => {
    const t = await tenantWithMember();
    for (const name of ["one", "two", "three"]) {
      expect(
        (await callRoute(apiKeys.POST, { method: "POST", headers: t.owner, json: { name, scopes: ["requests:read"] } }))
          .status,
      ).toBe(201);
    }
    const first = await list(t.viewer, "?kind=api_key&limit=2");
    expect(first.body.data.map((e: { data: { name: string } }) => e.data.name)).toEqual(["three", "two"]);
    const second = await list(t.viewer, `?kind=api_key&limit=2&cursor=${first.body.nextCursor}`);
    // The tenant's first key ("test key") was created with it.
    expect(second.body.data.map((e: { data: { name: string } }) => e.data.name)).toEqual(["one", "test key"]);
    expect(second.body.nextCursor).toBeNull();
    expect((await list(t.viewer, "?kind=authorizer")).body.data).toEqual([]);
    expect(
      (await list(t.viewer, `?kind=api_key&from=${new Date(Date.now() + 60_000).toISOString()}`)).body.data,
    ).toEqual([]);
    expect((await list(t.viewer, "?kind=api_key&range=24h")).body.data).toHaveLength(4);
    for (const bad of ["?kind=everything", "?cursor=bm90LWEtY3Vyc29y", "?from=yesterday", "?actor=%00"]) {
      const answer = await list(t.viewer, bad);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe("validation_failed");
    }
  });

  it("exports CSV with formula cells defused, and JSON Lines, of every matching event", async () => {
    const t = await tenantWithMember();
    await db().update(users).set({ name: '=HYPERLINK("https://evil.example")' }).where(eq(users.id, t.person.id));
    await callRoute(settings.PUT, { method: "PUT", headers: t.personSession, json: { defaultExpiresIn: 600 } });
    await callRoute(settings.PUT, { method: "PUT", headers: t.personSession, json: { defaultExpiresIn: 900 } });

    const csv = await exportText(t.viewer, "?format=csv&kind=settings");
    expect(csv.status).toBe(200);
    expect(csv.type).toContain("text/csv");
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toBe("createdAt,action,actorName,actorEmail,actor,stillMember,target,data");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"'=HYPERLINK(""https://evil.example"")"`);
    expect(lines[1]).not.toMatch(/,"=/);

    const jsonl = await exportText(t.viewer, "?format=jsonl&kind=settings");
    const rows = jsonl.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(rows.map((r) => r.data.defaultExpiresIn)).toEqual([900, 600]);
    expect(rows[0].data.previous.defaultExpiresIn).toBe(600);

    for (const lead of ["=", "+", "-", "@"]) expect(csvField(`${lead}1+1`)).toBe(`"'${lead}1+1"`);
    expect(csvField("plain")).toBe('"plain"');
  });

  it("shows a tenant only its own events, and nothing without a session", async () => {
    const t = await tenantWithMember();
    const other = await createConsoleTenant(db());
    await callRoute(apiKeys.POST, {
      method: "POST",
      headers: t.owner,
      json: { name: "mine", scopes: ["requests:read"] },
    });
    const theirs = await list(other.owner, "?kind=api_key");
    expect(theirs.body.data.some((e: { data: { name: string } }) => e.data.name === "mine")).toBe(false);
    expect((await list({}, "")).status).toBe(401);
    expect((await exportText({}, "?format=csv")).status).toBe(401);
  });
});
