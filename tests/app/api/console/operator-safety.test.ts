import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as attention from "@/app/api/console/attention/route";
import * as authorizerCollection from "@/app/api/console/authorizers/route";
import * as authorizerItem from "@/app/api/console/authorizers/[name]/route";
import * as testRequest from "@/app/api/console/authorizers/[name]/test-request/route";
import * as apiKeyCollection from "@/app/api/console/api-keys/route";
import * as apiKeyItem from "@/app/api/console/api-keys/[id]/route";
import * as failOpen from "@/app/api/console/fail-open/route";
import * as memberItem from "@/app/api/console/members/[userId]/route";
import * as pending from "@/app/api/console/pending-requests/route";
import * as cancel from "@/app/api/console/requests/[requestId]/cancel/route";
import * as settings from "@/app/api/console/settings/route";
import * as stats from "@/app/api/console/stats/route";
import * as callback from "@/app/api/stepauth/callback/[authorizerId]/route";
import * as v1Requests from "@/app/api/v1/authorization-requests/route";
import { generateKeyPair, signJsonPayload } from "@/lib/stepauth";
import { createTestUser, setupTestDatabase } from "../../../setup/database";
import { createGatewayTenant, drainJobs, wipeRequest } from "../../../setup/gateway";
import { bearer, callRoute, origin, sessionHeaders } from "../../../setup/http";
import { authorizerKey, startStubAuthorizer, type StubAuthorizer } from "../../../setup/stub-authorizer";

const db = setupTestDatabase();
let pendingStub: StubAuthorizer;
let approvingStub: StubAuthorizer;
let trusted: Awaited<ReturnType<Awaited<ReturnType<typeof createGatewayTenant>>["spKeys"]>> = [];
beforeAll(async () => {
  pendingStub = await startStubAuthorizer({ mode: "pending", trustedSpKeys: () => trusted as never });
  approvingStub = await startStubAuthorizer({ mode: "approve", trustedSpKeys: () => trusted as never });
});
afterAll(async () => {
  await pendingStub?.close();
  await approvingStub?.close();
});

// Nothing listens on port 1 of loopback: every call is refused at connect time.
const unreachable = "http://127.0.0.1:1/stepauth";

async function tenant(authorizers: { name: string; url: string }[], routingScript?: string) {
  const t = await createGatewayTenant(db(), {
    appUrl: "http://127.0.0.1:9",
    authorizers,
    routingScript,
    maxAttempts: 2,
  });
  trusted = await t.spKeys();
  const admin = await createTestUser(db(), t.tenantId, "admin");
  const viewer = await createTestUser(db(), t.tenantId, "viewer");
  return {
    ...t,
    adminUser: admin,
    owner: await sessionHeaders(t.owner.id),
    admin: await sessionHeaders(admin.id),
    viewer: await sessionHeaders(viewer.id),
  };
}

async function submit(apiKey: string) {
  const answer = await callRoute(v1Requests.POST, { method: "POST", headers: bearer(apiKey), json: wipeRequest() });
  expect(answer.status).toBeLessThan(300);
  await drainJobs(db());
  return answer.body.requestId as string;
}

describe("authorizer health", () => {
  it("counts network errors and forged callbacks as failures with their cause, and lists authorizers that never decided", async () => {
    const t = await tenant(
      [
        { name: "main", url: approvingStub.url },
        { name: "down", url: unreachable },
        { name: "idle", url: pendingStub.url },
      ],
      '["main", "down"]',
    );
    for (let i = 0; i < 3; i++) await submit(t.apiKey);
    const forger = generateKeyPair();
    const down = t.authorizers.down!;
    for (let i = 0; i < 4; i++) {
      const forged = signJsonPayload({ requestId: `req_${"y".repeat(16)}${i}`, decision: "approved" }, [
        { keyId: authorizerKey.keyId, privateKey: forger.privateKey },
      ]);
      const answer = await callRoute(callback.POST, {
        method: "POST",
        path: `/api/stepauth/callback/${down.id}`,
        json: forged,
        params: { authorizerId: down.id },
      });
      expect(answer.body.error).toBe("invalid_signature");
    }
    const list = await callRoute(authorizerCollection.GET, { headers: t.viewer });
    const byName = Object.fromEntries(list.body.data.map((a: any) => [a.name, a.health]));
    // 3 submits × 2 attempts refused at connect time (then the cancels sent once main decided), plus 4 forged callbacks.
    expect(byName.down).toMatchObject({
      state: "failing",
      lastSuccessAt: null,
      lastHour: { successes: 0, errorRate: 1 },
    });
    expect(byName.down.lastHour.failures).toBeGreaterThanOrEqual(10);
    expect(byName.down.lastFailureCause).toMatch(
      /callback refused: invalid_signature|network_error: connection refused/,
    );
    expect(byName.main).toMatchObject({ state: "healthy", lastHour: { failures: 0 } });
    expect(byName.main.lastHour.successes).toBeGreaterThanOrEqual(3);
    expect(byName.main.lastHour.p95Ms).toEqual(expect.any(Number));
    expect(byName.idle).toMatchObject({ state: "untested", lastSuccessAt: null, lastFailureAt: null });

    const detail = await callRoute(authorizerItem.GET, { headers: t.viewer, params: { name: "down" } });
    expect(detail.body.health.state).toBe("failing");

    const overview = await callRoute(stats.GET, { headers: t.viewer });
    expect(overview.body.latency.map((l: any) => l.authorizer)).toEqual(["down", "idle", "main"]);
    expect(overview.body.latency.find((l: any) => l.authorizer === "down")).toMatchObject({
      decisions: 0,
      p50Ms: null,
    });

    const panel = await callRoute(attention.GET, { headers: t.viewer });
    expect(panel.body.authorizers).toEqual([expect.objectContaining({ name: "down", state: "failing" })]);
  });

  it("a failing test request names the underlying cause: connection refused, or the HTTP status with its code", async () => {
    const t = await tenant([
      { name: "main", url: approvingStub.url },
      { name: "down", url: unreachable },
    ]);
    const refused = await callRoute(testRequest.POST, { method: "POST", headers: t.admin, params: { name: "down" } });
    expect(refused.body.outcome).toBe("failed");
    expect(refused.body.error.cause).toMatch(/^Network error: connection refused \(ECONNREFUSED\)/);
    trusted = [];
    const unauthorized = await callRoute(testRequest.POST, {
      method: "POST",
      headers: t.admin,
      params: { name: "main" },
    });
    expect(unauthorized.body.error.cause).toMatch(/^HTTP 401 invalid_signature/);
  });
});

describe("pending work and cancel", () => {
  it("lists pending requests oldest first with their expiry; admins cancel through the console, viewers may not", async () => {
    const t = await tenant([{ name: "main", url: pendingStub.url }]);
    const first = await submit(t.apiKey);
    const second = await submit(t.apiKey);
    const list = await callRoute(pending.GET, { headers: t.viewer });
    expect(list.body.data.map((r: any) => r.requestId)).toEqual([first, second]);
    expect(list.body).toMatchObject({ total: 2, expiringSoon: 0 });
    expect(list.body.data[0].expiresAt).toEqual(expect.any(String));

    const denied = await callRoute(cancel.POST, { method: "POST", headers: t.viewer, params: { requestId: first } });
    expect(denied.body.error).toBe("forbidden");
    const cancelled = await callRoute(cancel.POST, { method: "POST", headers: t.admin, params: { requestId: first } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    expect((await callRoute(pending.GET, { headers: t.viewer })).body.data.map((r: any) => r.requestId)).toEqual([
      second,
    ]);
    expect(
      (await callRoute(cancel.POST, { method: "POST", headers: t.admin, params: { requestId: "req_nope" } })).body
        .error,
    ).toBe("unknown_request");

    const other = await tenant([{ name: "main", url: pendingStub.url }]);
    expect(
      (await callRoute(cancel.POST, { method: "POST", headers: other.admin, params: { requestId: second } })).status,
    ).toBe(404);
  });

  it("a decided request cannot be cancelled: 409 already_decided", async () => {
    const t = await tenant([{ name: "main", url: approvingStub.url }]);
    const decided = await submit(t.apiKey);
    const answer = await callRoute(cancel.POST, { method: "POST", headers: t.admin, params: { requestId: decided } });
    expect(answer.status).toBe(409);
    expect(answer.body.error).toBe("already_decided");
  });
});

describe("fail-open status", () => {
  it("names the member who switched to fail open by name and e-mail", async () => {
    const t = await tenant([{ name: "main", url: pendingStub.url }]);
    expect((await callRoute(failOpen.GET, { headers: t.viewer })).body).toEqual({
      failOpen: false,
      setAt: null,
      setBy: null,
    });
    expect(
      (await callRoute(settings.PUT, { method: "PUT", headers: t.admin, json: { unavailabilityPolicy: "fail_open" } }))
        .status,
    ).toBe(200);
    const status = await callRoute(failOpen.GET, { headers: t.viewer });
    expect(status.body).toMatchObject({
      failOpen: true,
      setAt: expect.any(String),
      setBy: { kind: "user", email: t.adminUser.email, name: expect.any(String) },
    });
  });
});

describe("destructive changes need a typed confirmation", () => {
  it("never deletes the default authorizer, not even the only one: 409 default_authorizer", async () => {
    const t = await tenant([{ name: "main", url: pendingStub.url }]);
    const answer = await callRoute(authorizerItem.DELETE, {
      method: "DELETE",
      headers: t.admin,
      params: { name: "main" },
      json: { confirmName: "main" },
    });
    expect(answer.status).toBe(409);
    expect(answer.body.error).toBe("default_authorizer");
  });

  it("deleting an authorizer pending requests wait on needs confirmName", async () => {
    const t = await tenant(
      [
        { name: "main", url: approvingStub.url },
        { name: "busy", url: pendingStub.url },
      ],
      '["busy"]',
    );
    await submit(t.apiKey);
    await callRoute(settings.PUT, { method: "PUT", headers: t.admin, json: { routingScript: null } });
    // An empty body stream without a content type (how the standalone server hands over a body-less DELETE) is no body.
    const bare = new Request(`${origin}/api/console/authorizers/busy`, {
      method: "DELETE",
      headers: t.admin,
      body: new Uint8Array(0),
    });
    const answer = await authorizerItem.DELETE(bare, { params: Promise.resolve({ name: "busy" }) });
    expect(answer.status).toBe(409);
    expect(await answer.json()).toMatchObject({ error: "confirmation_required", details: { pendingRequests: 1 } });
    const wrong = await callRoute(authorizerItem.DELETE, {
      method: "DELETE",
      headers: t.admin,
      params: { name: "busy" },
      json: { confirmName: "main" },
    });
    expect(wrong.body.error).toBe("confirmation_required");
    const confirmed = await callRoute(authorizerItem.DELETE, {
      method: "DELETE",
      headers: t.admin,
      params: { name: "busy" },
      json: { confirmName: "busy" },
    });
    expect(confirmed.status).toBe(204);
  });

  it("removing a public key that verified a recent decision needs confirmRemovedKeyIds", async () => {
    const t = await tenant([{ name: "main", url: approvingStub.url }]);
    await submit(t.apiKey);
    const replacement = [{ keyId: "main-key-2", algorithm: "ed25519", publicKey: generateKeyPair().publicKey }];
    const unconfirmed = await callRoute(authorizerItem.PATCH, {
      method: "PATCH",
      headers: t.admin,
      params: { name: "main" },
      json: { publicKeys: replacement },
    });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body).toMatchObject({
      error: "confirmation_required",
      details: { keysInUse: [authorizerKey.keyId] },
    });
    const confirmed = await callRoute(authorizerItem.PATCH, {
      method: "PATCH",
      headers: t.admin,
      params: { name: "main" },
      json: { publicKeys: replacement, confirmRemovedKeyIds: [authorizerKey.keyId] },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.publicKeys.map((k: any) => k.keyId)).toEqual(["main-key-2"]);
    // A key that verified nothing goes without a confirmation.
    const again = [{ keyId: "main-key-3", algorithm: "ed25519", publicKey: generateKeyPair().publicKey }];
    expect(
      (
        await callRoute(authorizerItem.PATCH, {
          method: "PATCH",
          headers: t.admin,
          params: { name: "main" },
          json: { publicKeys: again },
        })
      ).status,
    ).toBe(200);
  });

  it("promotion to owner and demotion of an owner need confirmEmail; other role changes do not", async () => {
    const t = await tenant([{ name: "main", url: pendingStub.url }]);
    const params = { userId: t.adminUser.id };
    const promote = await callRoute(memberItem.PATCH, {
      method: "PATCH",
      headers: t.owner,
      params,
      json: { role: "owner" },
    });
    expect(promote.status).toBe(409);
    expect(promote.body).toMatchObject({
      error: "confirmation_required",
      details: { confirm: { confirmEmail: t.adminUser.email } },
    });
    expect(
      (await callRoute(memberItem.PATCH, { method: "PATCH", headers: t.owner, params, json: { role: "viewer" } })).body
        .role,
    ).toBe("viewer");
    const confirmed = await callRoute(memberItem.PATCH, {
      method: "PATCH",
      headers: t.owner,
      params,
      json: { role: "owner", confirmEmail: t.adminUser.email.toUpperCase() },
    });
    expect(confirmed.body.role).toBe("owner");
    const demote = await callRoute(memberItem.PATCH, {
      method: "PATCH",
      headers: t.owner,
      params,
      json: { role: "admin" },
    });
    expect(demote.body.error).toBe("confirmation_required");
  });

  it("revoking an API key in use needs confirmName; an unused one goes at once", async () => {
    const t = await tenant([{ name: "main", url: pendingStub.url }]);
    await callRoute(v1Requests.GET, { headers: bearer(t.apiKey) });
    const keys = await callRoute(apiKeyCollection.GET, { headers: t.owner });
    const used = keys.body.data[0];
    const unconfirmed = await callRoute(apiKeyItem.DELETE, {
      method: "DELETE",
      headers: t.owner,
      params: { id: used.id },
    });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.error).toBe("confirmation_required");
    const confirmed = await callRoute(apiKeyItem.DELETE, {
      method: "DELETE",
      headers: t.owner,
      params: { id: used.id },
      json: { confirmName: used.name },
    });
    expect(confirmed.body.revokedAt).toEqual(expect.any(String));
    const fresh = await callRoute(apiKeyCollection.POST, {
      method: "POST",
      headers: t.owner,
      json: { name: "unused", scopes: ["requests:read"] },
    });
    expect(
      (await callRoute(apiKeyItem.DELETE, { method: "DELETE", headers: t.owner, params: { id: fresh.body.id } }))
        .status,
    ).toBe(200);
  });
});
