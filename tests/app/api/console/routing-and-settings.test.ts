import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as authorizers from "@/app/api/console/authorizers/route";
import * as test from "@/app/api/console/routing/test/route";
import * as validate from "@/app/api/console/routing/validate/route";
import * as settings from "@/app/api/console/settings/route";
import * as deliveries from "@/app/api/console/settings/webhook-deliveries/route";
import * as webhookTest from "@/app/api/console/settings/webhook-test/route";
import { eq } from "drizzle-orm";
import { tenantSettings } from "@/db/schema";
import { sampleRequests } from "@/lib/console/sample-requests";
import { setupTestDatabase } from "../../../setup/database";
import { callRoute } from "../../../setup/http";
import { startStubService } from "../../../setup/stub-service";
import { authorizerBody } from "../v1/authorizer-fixtures";
import { createConsoleTenant } from "./console-fixtures";

const db = setupTestDatabase();
let secret = "whsec_" + Buffer.alloc(24).toString("base64");
let service: Awaited<ReturnType<typeof startStubService>>;
beforeAll(async () => {
  service = await startStubService(() => secret);
});
afterAll(async () => service?.close());

const wipe = sampleRequests.find((s) => s.id === "wipe")!;

describe("console routing routes", () => {
  it("positions syntax errors at their line and column, and accepts the fixed script", async () => {
    const t = await createConsoleTenant(db());
    await callRoute(authorizers.POST, { method: "POST", headers: t.owner, json: authorizerBody("security") });
    const broken = await callRoute(validate.POST, {
      method: "POST",
      headers: t.viewer,
      json: { script: 'request.action.category == "infra.destroy"\n  ? ["security"]\n  : ["security"' },
    });
    expect(broken.status).toBe(200);
    expect(broken.body.valid).toBe(false);
    expect(broken.body.issues[0]).toMatchObject({ code: "syntax_error", line: 3 });
    const unknown = await callRoute(validate.POST, {
      method: "POST",
      headers: t.viewer,
      json: { script: '["security", "nobody"]' },
    });
    expect(unknown.body.issues[0]).toMatchObject({ code: "unknown_authorizer", line: 1, column: 14 });
    const fixed = await callRoute(validate.POST, {
      method: "POST",
      headers: t.viewer,
      json: { script: '["security"]' },
    });
    expect(fixed.body).toMatchObject({ valid: true, issues: [] });
  });

  it("evaluates the wipe sample on the test bench: targets, or the fallback reason", async () => {
    const t = await createConsoleTenant(db());
    await callRoute(authorizers.POST, { method: "POST", headers: t.owner, json: authorizerBody("default-review") });
    await callRoute(authorizers.POST, { method: "POST", headers: t.owner, json: authorizerBody("security") });
    const request = { principal: wipe.principal, action: wipe.action };
    const routed = await callRoute(test.POST, {
      method: "POST",
      headers: t.viewer,
      json: {
        script: 'request.action.details.device.serial == "C02ZX1ABCDEF" ? ["security"] : ["default-review"]',
        request,
      },
    });
    expect(routed.body).toMatchObject({ targets: ["security"], fallback: false, issues: [] });
    const fallback = await callRoute(test.POST, {
      method: "POST",
      headers: t.viewer,
      json: { script: "request.action.details.missing == 1 ? ['security'] : ['default-review']", request },
    });
    expect(fallback.body).toMatchObject({
      targets: ["default-review"],
      fallback: true,
      fallbackReason: expect.any(String),
    });
  });

  it("saves only valid scripts, only for admins", async () => {
    const t = await createConsoleTenant(db());
    await callRoute(authorizers.POST, { method: "POST", headers: t.owner, json: authorizerBody("security") });
    expect(
      (await callRoute(settings.PUT, { method: "PUT", headers: t.viewer, json: { routingScript: '["security"]' } }))
        .body.error,
    ).toBe("forbidden");
    const invalid = await callRoute(settings.PUT, {
      method: "PUT",
      headers: t.admin,
      json: { routingScript: '["security"' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toBe("invalid_routing_script");
    expect(invalid.body.details[0]).toMatchObject({ code: "syntax_error", line: 1 });
    const saved = await callRoute(settings.PUT, {
      method: "PUT",
      headers: t.admin,
      json: { routingScript: '["security"]' },
    });
    expect(saved.body.routingScript).toBe('["security"]');
    expect((await callRoute(settings.GET, { headers: t.viewer })).body.routingScript).toBe('["security"]');
  });
});

describe("console settings routes", () => {
  it("records who switched to fail-open, and refuses viewers", async () => {
    const t = await createConsoleTenant(db());
    expect(
      (await callRoute(settings.PUT, { method: "PUT", headers: t.viewer, json: { unavailabilityPolicy: "fail_open" } }))
        .body.error,
    ).toBe("forbidden");
    const open = await callRoute(settings.PUT, {
      method: "PUT",
      headers: t.admin,
      json: { unavailabilityPolicy: "fail_open", defaultExpiresIn: 900, retryPolicy: { maxAttempts: 2 } },
    });
    expect(open.body).toMatchObject({
      unavailabilityPolicy: "fail_open",
      defaultExpiresIn: 900,
      retryPolicy: { maxAttempts: 2 },
    });
    expect(open.body.failOpenSetBy).toEqual(expect.any(String));
    const theirs = await createConsoleTenant(db());
    expect((await callRoute(settings.GET, { headers: theirs.owner })).body.unavailabilityPolicy).toBe("fail_closed");
  });

  it("sends a signed test event to the webhook, once a URL is set, and lists deliveries per tenant", async () => {
    const t = await createConsoleTenant(db());
    expect((await callRoute(webhookTest.POST, { method: "POST", headers: t.admin })).body.error).toBe("conflict");
    const set = await callRoute(settings.PUT, { method: "PUT", headers: t.admin, json: { webhookUrl: service.url } });
    secret = set.body.webhookSecret;
    expect(secret).toMatch(/^whsec_/);
    expect((await callRoute(settings.GET, { headers: t.admin })).body.webhookSecret).toBeUndefined();

    const sent = await callRoute(webhookTest.POST, { method: "POST", headers: t.admin });
    expect(sent.body).toMatchObject({ ok: true, statusCode: 200 });
    expect(service.state.deliveries.at(-1)).toMatchObject({
      id: sent.body.messageId,
      body: { type: "stepauth.test", data: { execute: false } },
    });

    secret = "whsec_" + Buffer.alloc(24, 1).toString("base64");
    const wrongSecret = await callRoute(webhookTest.POST, { method: "POST", headers: t.admin });
    expect(wrongSecret.body).toMatchObject({ ok: false, statusCode: 401 });
    expect((await callRoute(webhookTest.POST, { method: "POST", headers: t.viewer })).body.error).toBe("forbidden");
    expect((await callRoute(deliveries.GET, { headers: t.viewer })).body).toEqual({ data: [] });
  });

  it("keeps signing with the old webhook secret too during the rotation's grace period, then only with the new one", async () => {
    const t = await createConsoleTenant(db());
    const put = (json: unknown) => callRoute(settings.PUT, { method: "PUT", headers: t.admin, json });
    const sendTest = async () => (await callRoute(webhookTest.POST, { method: "POST", headers: t.admin })).body;
    const oldSecret = (await put({ webhookUrl: service.url })).body.webhookSecret as string;
    const before = Date.now();
    const rotated = await put({ rotateWebhookSecret: true });
    const newSecret = rotated.body.webhookSecret as string;
    expect(newSecret).not.toBe(oldSecret);
    const graceEndsAt = Date.parse(rotated.body.webhookSecretGraceEndsAt);
    expect(graceEndsAt).toBeGreaterThanOrEqual(before + 24 * 3600 * 1000 - 1000);
    expect(graceEndsAt).toBeLessThanOrEqual(Date.now() + 24 * 3600 * 1000 + 1000);
    expect((await callRoute(settings.GET, { headers: t.viewer })).body.webhookSecretGraceEndsAt).toBe(
      rotated.body.webhookSecretGraceEndsAt,
    );

    // A receiver that has not switched yet still verifies the very next event, and so does one that has.
    secret = oldSecret;
    expect(await sendTest()).toMatchObject({ ok: true, statusCode: 200 });
    secret = newSecret;
    expect(await sendTest()).toMatchObject({ ok: true, statusCode: 200 });

    // The grace period ends (moved into the past here): only the new secret signs.
    await db()
      .update(tenantSettings)
      .set({ webhookPreviousSecretExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(tenantSettings.tenantId, t.tenantId));
    secret = oldSecret;
    expect(await sendTest()).toMatchObject({ ok: false, statusCode: 401 });
    secret = newSecret;
    expect(await sendTest()).toMatchObject({ ok: true, statusCode: 200 });
    expect((await callRoute(settings.GET, { headers: t.viewer })).body.webhookSecretGraceEndsAt).toBeNull();

    // After a leak: no grace at all, the replaced secret stops at once.
    const bad = await put({ webhookSecretGraceSeconds: 0 });
    expect(bad).toMatchObject({ status: 400, body: { error: "validation_failed" } });
    const urgent = await put({ rotateWebhookSecret: true, webhookSecretGraceSeconds: 0 });
    expect(urgent.body.webhookSecretGraceEndsAt).toBeNull();
    expect(await sendTest()).toMatchObject({ ok: false, statusCode: 401 });
    secret = urgent.body.webhookSecret;
    expect(await sendTest()).toMatchObject({ ok: true, statusCode: 200 });

    await put({ rotateWebhookSecret: true });
    const removed = await put({ webhookUrl: null });
    expect(removed.body).toMatchObject({ webhookUrl: null, hasWebhookSecret: false, webhookSecretGraceEndsAt: null });
    const [row] = await db().select().from(tenantSettings).where(eq(tenantSettings.tenantId, t.tenantId));
    expect(row).toMatchObject({ webhookPreviousSecretCiphertext: null, webhookPreviousSecretExpiresAt: null });
  });
});
