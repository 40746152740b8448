import { ZodError } from "zod";
import { describe, expect, it } from "vitest";
import * as v1Requests from "@/app/api/v1/authorization-requests/route";
import * as v1Authorizers from "@/app/api/v1/authorizers/route";
import * as apiKeys from "@/app/api/console/api-keys/route";
import * as members from "@/app/api/console/members/route";
import * as consoleRequests from "@/app/api/console/requests/route";
import * as exportRoute from "@/app/api/console/requests/export/route";
import * as reviews from "@/app/api/console/sandbox/requests/[id]/reviews/route";
import * as pollRoute from "@/app/api/sandbox-authorizer/v1/authorization-requests/poll/route";
import { signUpWithNewTenant } from "@/lib/auth/onboarding";
import { signJsonPayload } from "@/lib/stepauth";
import { setupTestDatabase } from "../setup/database";
import { createGatewayTenant, wipeRequest } from "../setup/gateway";
import { bearer, callRoute, origin, sessionHeaders } from "../setup/http";
import { registerSp, signedRequest, spKey, submit } from "../lib/sandbox/fixtures";

// Issue 12, items 7 and 8: text that displays as something else is refused in every field a person
// reads, and text no database can store (NUL, lone surrogates) answers 4xx JSON, never a 500.
const db = setupTestDatabase();
const RLO = "\u202E";

async function gatewayTenant() {
  const t = await createGatewayTenant(db(), {
    appUrl: "http://127.0.0.1:1",
    authorizers: [{ name: "default", url: "http://127.0.0.1:9" }],
  });
  return { ...t, session: await sessionHeaders(t.owner.id) };
}

function withDetail(value: unknown) {
  const request = wipeRequest() as { action: Record<string, unknown> };
  return { ...request, action: { ...request.action, details: [{ key: "amount", label: "Amount", value }] } };
}

const submitJson = (apiKey: string, json: unknown) =>
  callRoute(v1Requests.POST, { method: "POST", headers: bearer(apiKey), json });
const submitText = (apiKey: string, body: string) =>
  callRoute(v1Requests.POST, {
    method: "POST",
    headers: { ...bearer(apiKey), "content-type": "application/json" },
    body,
  });

function expectRefused(answer: { status: number; body: any }, field: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body.error).toBe("validation_failed");
  expect(JSON.stringify(answer.body.details)).toContain(field);
}

describe("input that displays as something else", () => {
  it("refuses bidi and invisible format characters in the summary, labels, values, attributes and externalId", async () => {
    const t = await gatewayTenant();
    const base = wipeRequest() as any;
    expectRefused(
      await submitJson(t.apiKey, { ...base, action: { ...base.action, summary: `${RLO}gnp.exe` } }),
      "summary",
    );
    expectRefused(await submitJson(t.apiKey, withDetail(`${RLO}0001$`)), "value");
    expectRefused(
      await submitJson(t.apiKey, {
        ...base,
        action: { ...base.action, details: [{ key: "a", label: "Am\u200Bount", value: "1" }] },
      }),
      "label",
    );
    const principal = { type: "human", attributes: [{ key: "email", label: "Email", value: "ceo\u2066@acme.com" }] };
    expectRefused(await submitJson(t.apiKey, { ...base, principal }), "principal");
    expectRefused(await submitJson(t.apiKey, { ...base, externalId: "\uFEFFticket-1" }), "externalId");
    // Ordinary non-ASCII text still passes.
    expect((await submitJson(t.apiKey, withDetail("1 000 € — Zoë, 東京"))).status).toBeLessThan(300);
  });

  it("refuses them in names and review reasons", async () => {
    const t = await gatewayTenant();
    const key = await callRoute(apiKeys.POST, {
      method: "POST",
      headers: t.session,
      json: { name: `deploy${RLO}`, scopes: ["requests:read"] },
    });
    expectRefused(key, "name");
    // Members name themselves when they sign up or accept an invitation (an owner only invites an e-mail).
    for (const [field, input] of [
      ["name", { name: `Eve\u202Dx`, email: "eve@example.test", password: "a-long-password-1", tenantName: "Eve Inc" }],
      [
        "tenantName",
        { name: "Eve", email: "eve2@example.test", password: "a-long-password-1", tenantName: `Eve\u0000Inc` },
      ],
    ] as const) {
      const refused = await signUpWithNewTenant(db(), input, "192.0.2.50").then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(ZodError);
      expect((refused as ZodError).issues.map((issue) => issue.path.join("."))).toContain(field);
    }
    const review = await callRoute(reviews.POST, {
      method: "POST",
      headers: t.session,
      params: { id: "00000000-0000-4000-8000-000000000000" },
      json: { verdict: "approve", reason: `ok${RLO}` },
    });
    expectRefused(review, "reason");
  });

  it("the sandbox authorizer refuses them as malformed_request", async () => {
    const spId = `sp_bidi_${Date.now()}`;
    await registerSp(db(), { spId });
    const now = new Date();
    const times = {
      timestamp: now.toISOString().replace(/\.\d+Z$/, "Z"),
      expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
    };
    const { payload } = signedRequest();
    const action = { ...(payload.action as object), summary: `Refund ${RLO}0001$` };
    const answer = await submit(signedRequest({ ...times, spId, action }).envelope);
    expect(answer).toMatchObject({ status: 400, body: { error: "malformed_request" } });
    expect(JSON.stringify(answer.body.details)).toContain("summary");
    expect((await submit(signedRequest({ ...times, spId }).envelope)).status).toBe(202);
  });
});

describe("bad input answers 4xx JSON, never 500", () => {
  it("refuses NUL in summary, label, externalId, spId, key name, member name and review reason", async () => {
    const t = await gatewayTenant();
    const base = wipeRequest() as any;
    expectRefused(
      await submitJson(t.apiKey, { ...base, action: { ...base.action, summary: "wipe\u0000" } }),
      "summary",
    );
    expectRefused(
      await submitJson(t.apiKey, {
        ...base,
        action: { ...base.action, details: [{ key: "a", label: "A\u0000", value: "1" }] },
      }),
      "label",
    );
    expectRefused(await submitJson(t.apiKey, { ...base, externalId: "x\u0000" }), "externalId");
    const authorizer = {
      name: "nul",
      endpoint: "https://authorizer.example",
      spId: "sp\u0000x",
      publicKeys: [{ keyId: "k1", algorithm: "ed25519", publicKey: spKey.publicKey }],
    };
    expectRefused(
      await callRoute(v1Authorizers.POST, { method: "POST", headers: bearer(t.apiKey), json: authorizer }),
      "spId",
    );
    expectRefused(
      await callRoute(apiKeys.POST, {
        method: "POST",
        headers: t.session,
        json: { name: "k\u0000", scopes: ["admin"] },
      }),
      "name",
    );
    const member = { email: "nul@example.test", name: "N\u0000", role: "viewer", initialPassword: "a-long-password-1" };
    expectRefused(await callRoute(members.POST, { method: "POST", headers: t.session, json: member }), "name");
    const review = { verdict: "deny", reason: "no\u0000" };
    expectRefused(
      await callRoute(reviews.POST, {
        method: "POST",
        headers: t.session,
        params: { id: "00000000-0000-4000-8000-000000000000" },
        json: review,
      }),
      "reason",
    );
    // The sandbox looks the spId up before it verifies: a NUL there must not reach the query.
    const poll = signJsonPayload(
      { requestId: "req_aaaaaaaaaaaaaaaaaaaa", spId: "sp\u0000", timestamp: new Date().toISOString() },
      [spKey],
    );
    expect(await callRoute(pollRoute.POST, { method: "POST", json: poll })).toMatchObject({
      status: 400,
      body: { error: "malformed_request" },
    });
  });

  it("refuses a lone surrogate anywhere in a body", async () => {
    const t = await gatewayTenant();
    const text = JSON.stringify(wipeRequest()).replace('"Support Agent (v3)"', '"Support \\ud800 Agent"');
    expectRefused(await submitText(t.apiKey, text), "principal.attributes.0.value");
    const key = await callRoute(apiKeys.POST, {
      method: "POST",
      headers: { ...t.session, "content-type": "application/json" },
      body: '{"name":"\\udc00","scopes":["admin"]}',
    });
    expectRefused(key, "name");
  });

  it("refuses q=%00 and a cursor dated -271821 on the list and the export", async () => {
    const t = await gatewayTenant();
    const listed = await callRoute(consoleRequests.GET, { headers: t.session, path: "/api/console/requests?q=%00" });
    expect(listed).toMatchObject({ status: 400, body: { error: "validation_failed" } });
    expect(
      (await callRoute(v1Requests.GET, { headers: bearer(t.apiKey), path: "/api/v1/authorization-requests?q=%00" }))
        .status,
    ).toBe(400);
    const exported = await callRoute(exportRoute.GET, {
      headers: t.session,
      path: "/api/console/requests/export?format=csv&q=%00",
    });
    expect(exported).toMatchObject({ status: 400, body: { error: "validation_failed" } });
    // An empty cursor is the first page (as it always was), not a refusal.
    for (const route of [v1Requests.GET, consoleRequests.GET]) {
      const headers = route === v1Requests.GET ? bearer(t.apiKey) : t.session;
      const prefix = route === v1Requests.GET ? "/api/v1/authorization-requests" : "/api/console/requests";
      expect((await callRoute(route, { headers, path: `${prefix}?cursor=` })).status).toBe(200);
    }
    const cursor = Buffer.from(`${new Date(-8.64e15).toISOString()}|req_aaaaaaaaaaaaaaaaaaaa`).toString("base64url");
    expect(new Date(-8.64e15).toISOString()).toContain("-271821");
    for (const path of [
      `/api/console/requests?cursor=${cursor}`,
      `/api/console/requests?cursor=${Buffer.from("2026-01-01T00:00:00Z|x\u0000").toString("base64url")}`,
    ]) {
      expect(await callRoute(consoleRequests.GET, { headers: t.session, path })).toMatchObject({
        status: 400,
        body: { error: "validation_failed" },
      });
    }
    expect(
      (
        await callRoute(v1Requests.GET, {
          headers: bearer(t.apiKey),
          path: `/api/v1/authorization-requests?cursor=${cursor}`,
        })
      ).status,
    ).toBe(400);
  });

  it("answers a non-UUID stepauth-tenant cookie and Origin: null with 4xx JSON", async () => {
    const t = await gatewayTenant();
    const cookie = `${t.session.cookie}; stepauth-tenant=not-a-uuid`;
    expect(await callRoute(consoleRequests.GET, { headers: { ...t.session, cookie } })).toMatchObject({
      status: 400,
      body: { error: "validation_failed" },
    });
    const badPercent = `${t.session.cookie}; stepauth-tenant=%E0%A4%A`;
    expect((await callRoute(consoleRequests.GET, { headers: { ...t.session, cookie: badPercent } })).status).toBe(200);
    const nullOrigin = await callRoute(apiKeys.POST, {
      method: "POST",
      headers: { ...t.session, origin: "null" },
      json: { name: "k", scopes: ["admin"] },
    });
    expect(nullOrigin).toMatchObject({ status: 403, body: { error: "forbidden" } });
    expect(
      (
        await callRoute(apiKeys.POST, {
          method: "POST",
          headers: { ...t.session, origin },
          json: { name: "k", scopes: ["admin"] },
        })
      ).status,
    ).toBe(201);
  });
});
