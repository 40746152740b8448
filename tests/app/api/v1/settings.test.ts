import { afterEach, describe, expect, it } from "vitest";
import * as apiKeyCollection from "@/app/api/v1/api-keys/route";
import * as auditEvents from "@/app/api/v1/audit-events/route";
import * as settingsRoute from "@/app/api/v1/settings/route";
import { loadWebhookTarget, updateTenantSettings } from "@/db/queries/tenant-settings";
import { issueTenantContext } from "@/lib/auth/tenant-context";
import { bearer, callRoute } from "../../../setup/http";
import { createTestTenant, setupTestDatabase } from "../../../setup/database";
import { createAuthorizerThroughApi } from "./authorizer-fixtures";

const db = setupTestDatabase();

const read = (apiKey: string) => callRoute(settingsRoute.GET, { headers: bearer(apiKey) });
const put = (apiKey: string, json: unknown) =>
  callRoute(settingsRoute.PUT, { method: "PUT", headers: bearer(apiKey), json });
const webhookSecretPattern = /^whsec_[A-Za-z0-9+/]{32}$/;

describe("/api/v1/settings", () => {
  it("answers the defaults, then applies partial updates", async () => {
    const t = await createTestTenant(db());
    const initial = await read(t.apiKey);
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({
      routingScript: null,
      unavailabilityPolicy: "fail_closed",
      failOpenSetBy: null,
      defaultExpiresIn: 1800,
      webhookUrl: null,
      hasWebhookSecret: false,
      executionWindowSeconds: 600,
      retryPolicy: { maxAttempts: 5, baseDelayMs: 250, factor: 2, attemptTimeoutMs: 5000 },
    });
    const updated = await put(t.apiKey, {
      defaultExpiresIn: 600,
      executionWindowSeconds: 3600,
      retryPolicy: { maxAttempts: 3 },
      publicBaseUrl: "https://gateway.example.com/",
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      defaultExpiresIn: 600,
      executionWindowSeconds: 3600,
      publicBaseUrl: "https://gateway.example.com",
      retryPolicy: { maxAttempts: 3, baseDelayMs: 250 },
    });
    const again = await put(t.apiKey, { retryPolicy: { factor: 1.5 } });
    expect(again.body).toMatchObject({ defaultExpiresIn: 600, retryPolicy: { maxAttempts: 3, factor: 1.5 } });
    expect((await put(t.apiKey, { retryPolicy: null })).body.retryPolicy).toEqual(initial.body.retryPolicy);
  });

  it("records who opted into fail-open and when, and clears it when switching back", async () => {
    const t = await createTestTenant(db());
    const apiKeyId = (await callRoute(apiKeyCollection.GET, { headers: bearer(t.apiKey) })).body.data[0].id;
    const before = Date.now();
    const open = await put(t.apiKey, { unavailabilityPolicy: "fail_open" });
    expect(open.body).toMatchObject({ unavailabilityPolicy: "fail_open", failOpenSetBy: `api_key:${apiKeyId}` });
    expect(Date.parse(open.body.failOpenSetAt)).toBeGreaterThanOrEqual(before - 1000);
    expect((await read(t.apiKey)).body.failOpenSetBy).toBe(`api_key:${apiKeyId}`);

    const closed = await put(t.apiKey, { unavailabilityPolicy: "fail_closed" });
    expect(closed.body).toMatchObject({
      unavailabilityPolicy: "fail_closed",
      failOpenSetBy: null,
      failOpenSetAt: null,
    });

    // A console user (owner) opting in is recorded by user id.
    const ownerCtx = issueTenantContext(t.tenantId, { type: "user", userId: t.owner.id, role: "owner" });
    const byUser = await updateTenantSettings(db(), ownerCtx, { unavailabilityPolicy: "fail_open" });
    expect(byUser.settings).toMatchObject({ unavailabilityPolicy: "fail_open", failOpenSetBy: t.owner.id });

    const audit = await callRoute(auditEvents.GET, { headers: bearer(t.apiKey) });
    const policies = audit.body.data
      .filter((e: any) => e.action === "settings.updated")
      .map((e: any) => [e.actor, e.data.unavailabilityPolicy]);
    expect(policies).toEqual(
      expect.arrayContaining([
        [`api_key:${apiKeyId}`, "fail_open"],
        [`api_key:${apiKeyId}`, "fail_closed"],
        [`user:${t.owner.id}`, "fail_open"],
      ]),
    );
  });

  it("returns the webhook secret once, never on GET, rotates it on request and removes it with the URL", async () => {
    const t = await createTestTenant(db());
    const set = await put(t.apiKey, { webhookUrl: "https://hooks.example.com/stepauth" });
    expect(set.status).toBe(200);
    expect(set.body.webhookSecret).toMatch(webhookSecretPattern);
    expect(set.body).toMatchObject({ webhookUrl: "https://hooks.example.com/stepauth", hasWebhookSecret: true });
    const ctx = issueTenantContext(t.tenantId, { type: "user", userId: t.owner.id, role: "owner" });
    expect(await loadWebhookTarget(db(), ctx)).toEqual({
      url: "https://hooks.example.com/stepauth",
      secret: set.body.webhookSecret,
    });

    const got = await read(t.apiKey);
    expect(got.body).not.toHaveProperty("webhookSecret");
    expect(JSON.stringify(got.body)).not.toMatch(/whsec_|ciphertext/i);
    const moved = await put(t.apiKey, { webhookUrl: "https://hooks.example.com/v2" });
    expect(moved.body).not.toHaveProperty("webhookSecret");

    const rotated = await put(t.apiKey, { rotateWebhookSecret: true });
    expect(rotated.body.webhookSecret).toMatch(webhookSecretPattern);
    expect(rotated.body.webhookSecret).not.toBe(set.body.webhookSecret);
    expect((await loadWebhookTarget(db(), ctx))?.secret).toBe(rotated.body.webhookSecret);
    // The replaced secret keeps signing too during the rotation's grace period.
    expect(await loadWebhookTarget(db(), ctx)).toEqual({
      url: "https://hooks.example.com/v2",
      secret: rotated.body.webhookSecret,
      previousSecret: set.body.webhookSecret,
    });
    expect(JSON.stringify((await read(t.apiKey)).body)).not.toContain(set.body.webhookSecret);

    const audit = JSON.stringify((await callRoute(auditEvents.GET, { headers: bearer(t.apiKey) })).body);
    expect(audit).not.toContain(set.body.webhookSecret);
    expect(audit).not.toContain(rotated.body.webhookSecret);

    const removed = await put(t.apiKey, { webhookUrl: null });
    expect(removed.body).toMatchObject({ webhookUrl: null, hasWebhookSecret: false });
    expect(await loadWebhookTarget(db(), ctx)).toBeNull();
    expect((await put(t.apiKey, { rotateWebhookSecret: true })).body.error).toBe("conflict");
  });

  it("refuses an invalid routing script with 400 invalid_routing_script and line/column", async () => {
    const t = await createTestTenant(db());
    const broken = await put(t.apiKey, {
      routingScript: 'request.action.category.startsWith("infra.")\n  ? ["security-team"]\n  : ["default"',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe("invalid_routing_script");
    expect(broken.body.details[0]).toMatchObject({ code: "syntax_error", line: 3, column: 15 });

    await createAuthorizerThroughApi(t.apiKey, "default");
    await createAuthorizerThroughApi(t.apiKey, "security-team");
    const typo = await put(t.apiKey, {
      routingScript: 'request.action.type == "x"\n  ? ["securty-team"]\n  : ["default"]',
    });
    expect(typo.body.error).toBe("invalid_routing_script");
    expect(typo.body.details).toEqual([expect.objectContaining({ code: "unknown_authorizer", line: 2, column: 6 })]);
    expect((await read(t.apiKey)).body.routingScript).toBeNull();

    const script = 'request.action.category.startsWith("infra.") ? ["security-team"] : ["default"]';
    expect((await put(t.apiKey, { routingScript: script })).body.routingScript).toBe(script);
    expect((await put(t.apiKey, { routingScript: null })).body.routingScript).toBeNull();
  });

  describe("input validation", () => {
    const saved = process.env.ALLOW_PRIVATE_NETWORK_URLS;
    afterEach(() => {
      if (saved === undefined) delete process.env.ALLOW_PRIVATE_NETWORK_URLS;
      else process.env.ALLOW_PRIVATE_NETWORK_URLS = saved;
    });

    it("refuses out-of-range values, bad URLs and unknown fields", async () => {
      delete process.env.ALLOW_PRIVATE_NETWORK_URLS;
      const t = await createTestTenant(db());
      for (const body of [
        { defaultExpiresIn: 59 },
        { defaultExpiresIn: 604_801 },
        { executionWindowSeconds: 59 },
        { executionWindowSeconds: 86_401 },
        { executionWindowSeconds: 90.5 },
        { retryPolicy: { maxAttempts: 11 } },
        { retryPolicy: { baseDelayMs: 49 } },
        { retryPolicy: { factor: 4.5 } },
        { retryPolicy: { attemptTimeoutMs: 499 } },
        { retryPolicy: { jitter: "none" } },
        { publicBaseUrl: "https://gateway.example.com/app" },
        { publicBaseUrl: "http://gateway.example.com" },
        { publicBaseUrl: "gateway.example.com" },
        { publicBaseUrl: "https://gateway.example.com/?x=1" },
        { webhookUrl: "https://10.0.0.5/hook" },
        { webhookUrl: "ftp://hooks.example.com/" },
        { unavailabilityPolicy: "sometimes" },
        { failOpenSetBy: "someone-else" },
        { tenantId: "00000000-0000-0000-0000-000000000000" },
      ]) {
        const response = await put(t.apiKey, body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body.error, JSON.stringify(body)).toBe("validation_failed");
      }
      expect((await read(t.apiKey)).body).toMatchObject({
        defaultExpiresIn: 1800,
        publicBaseUrl: null,
        webhookUrl: null,
        updatedAt: null,
      });
    });

    it("accepts http base and webhook URLs only when private networks are allowed", async () => {
      process.env.ALLOW_PRIVATE_NETWORK_URLS = "true";
      const t = await createTestTenant(db());
      const response = await put(t.apiKey, {
        publicBaseUrl: "http://localhost:3000",
        webhookUrl: "http://127.0.0.1:4020/hook",
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        publicBaseUrl: "http://localhost:3000",
        webhookUrl: "http://127.0.0.1:4020/hook",
      });
    });
  });

  it("keeps tenants apart and refuses keys without the admin scope", async () => {
    const a = await createTestTenant(db());
    const b = await createTestTenant(db());
    await put(b.apiKey, { defaultExpiresIn: 900 });
    await put(a.apiKey, { defaultExpiresIn: 120, unavailabilityPolicy: "fail_open" });
    expect((await read(b.apiKey)).body).toMatchObject({ defaultExpiresIn: 900, unavailabilityPolicy: "fail_closed" });

    const limitedKey = await callRoute(apiKeyCollection.POST, {
      method: "POST",
      headers: bearer(b.apiKey),
      json: { name: "submitter", scopes: ["requests:write"] },
    });
    for (const response of [
      await read(limitedKey.body.secret),
      await put(limitedKey.body.secret, { unavailabilityPolicy: "fail_open" }),
    ]) {
      expect(response.status).toBe(403);
      expect(response.body.error).toBe("insufficient_scope");
    }
    expect((await read(b.apiKey)).body.unavailabilityPolicy).toBe("fail_closed");
  });
});
