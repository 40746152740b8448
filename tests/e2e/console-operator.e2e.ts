import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sampleRequests } from "@/lib/console/sample-requests";
import { generateKeyPair, importPublicKey, signJsonPayload, type TrustedKey } from "@/lib/stepauth";
import { authorizerKey, startStubAuthorizer, type StubAuthorizer } from "../setup/stub-authorizer";
import {
  acceptInvitationAsNewPerson,
  consoleApi,
  browserForFile,
  removeAuthorizers,
  screenshot,
  signIn,
  submitThroughApi,
} from "./browser";

// Issue 18, items 1–4: health at a glance, the fail-open banner, pending work, and one confirmation dialog.

const baseUrl = inject("baseUrl");
const demo = inject("demo");
const names = ["op-approver", "op-down", "op-pending"];
const browser = browserForFile();
let page: Page;
let approver: StubAuthorizer;
let pendingStub: StubAuthorizer;
let trusted: TrustedKey[] = [];
const ids: Record<string, string> = {};

const sizes = [
  ["desktop", { width: 1440, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const;

/** The same screen at 1440×900 and 390×844. */
async function screenshotBoth(name: string) {
  for (const [label, viewport] of sizes) {
    await page.setViewportSize(viewport);
    await screenshot(page, `operator-${name}-${label}`);
  }
  await page.setViewportSize(sizes[0][1]);
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const health = async (name: string) => (await consoleApi(page, "GET", `/api/console/authorizers/${name}`)).body.health;

beforeAll(async () => {
  approver = await startStubAuthorizer({ mode: "approve", trustedSpKeys: () => trusted });
  pendingStub = await startStubAuthorizer({ mode: "pending", trustedSpKeys: () => trusted });
  page = await browser.newPage({ viewport: sizes[0][1] });
  await signIn(page, baseUrl, demo.email, demo.password);
  const keys = (await consoleApi(page, "GET", "/api/console/signing-keys")).body.data as {
    keyId: string;
    state: string;
    publicKey: string;
  }[];
  trusted = keys
    .filter((k) => k.state !== "retired")
    .map((k) => ({ keyId: k.keyId, algorithm: "ed25519", publicKey: importPublicKey(k.publicKey) }));
  const publicKeys = [{ keyId: authorizerKey.keyId, algorithm: "ed25519", publicKey: authorizerKey.publicKey }];
  for (const [name, endpoint] of [
    ["op-approver", approver.url],
    ["op-down", "http://127.0.0.1:1/stepauth"],
    ["op-pending", pendingStub.url],
  ] as const) {
    const created = await consoleApi(page, "POST", "/api/console/authorizers", {
      name,
      endpoint,
      spId: `sp_${name.replace("-", "_")}`,
      publicKeys,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids[name] = created.body.id;
  }
});

afterAll(async () => {
  if (page) {
    await consoleApi(page, "PUT", "/api/console/settings", { unavailabilityPolicy: "fail_closed" });
    await removeAuthorizers(page, names);
  }
  await approver?.close();
  await pendingStub?.close();
});

async function submitRouted(script: string, count: number): Promise<string[]> {
  expect((await consoleApi(page, "PUT", "/api/console/settings", { routingScript: script })).status).toBe(200);
  const requestIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const sample = sampleRequests[i % sampleRequests.length]!;
    const { status, body } = await submitThroughApi(baseUrl, demo.apiKey, {
      principal: sample.principal,
      action: sample.action,
    });
    expect(status, JSON.stringify(body)).toBeLessThan(300);
    requestIds.push(body.requestId);
  }
  await consoleApi(page, "PUT", "/api/console/settings", { routingScript: null });
  return requestIds;
}

describe("console for the on-call operator", () => {
  it("1 · shows each authorizer's health, what needs attention, and warns before a failing default", async () => {
    await submitRouted('["op-approver", "op-down"]', 3);
    const forger = generateKeyPair();
    for (let i = 0; i < 4; i++) {
      const forged = signJsonPayload({ requestId: `req_${"z".repeat(16)}${i}`, decision: "approved" }, [
        { keyId: authorizerKey.keyId, privateKey: forger.privateKey },
      ]);
      const answer = await fetch(`${baseUrl}/api/stepauth/callback/${ids["op-down"]}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(forged),
      });
      expect(answer.status).toBe(401);
    }
    const down = await waitFor(
      () => health("op-down"),
      (h) => h.lastHour.failures >= 7,
      "op-down's failures",
    );
    expect(down).toMatchObject({ state: "failing", lastSuccessAt: null });
    await waitFor(
      () => health("op-approver"),
      (h) => h.state === "healthy",
      "op-approver healthy",
    );

    await page.goto(`${baseUrl}/authorizers`);
    const row = page.getByTestId("authorizer-op-down");
    await row.getByText("failing", { exact: true }).waitFor();
    await row
      .getByText(/last failure: (callback refused: invalid_signature|network_error: connection refused)/)
      .waitFor();
    await page.getByTestId("authorizer-op-pending").getByText("untested", { exact: true }).waitFor();
    await screenshotBoth("1-authorizers-health");

    await row.getByRole("button", { name: "Make op-down the default" }).click();
    const warning = page.getByRole("dialog", { name: "Make op-down the default?" });
    await warning.getByText("op-down is failing").waitFor();
    await screenshotBoth("1-default-warning");
    await warning.getByRole("button", { name: "Cancel" }).click();
    expect((await health("op-down")).state).toBe("failing");
    expect((await consoleApi(page, "GET", "/api/console/authorizers/op-down")).body.isDefault).toBe(false);

    await row.getByRole("link", { name: "op-down", exact: true }).click();
    await page.getByRole("heading", { name: "op-down", level: 1 }).waitFor();
    await page.getByTestId("authorizer-health").getByText("failing", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Send test request" }).click();
    await page
      .getByTestId("test-request-cause")
      .getByText(/Network error: connection refused \(ECONNREFUSED\)/)
      .waitFor();
    await screenshotBoth("1-authorizer-detail-health");

    await page.goto(`${baseUrl}/`);
    const attention = page.getByRole("list", { name: "Needs attention" });
    await attention.getByText("op-down", { exact: true }).waitFor();
    // The latency chart lists authorizers that never decided, too.
    await page.getByText("no decision in 7 days").first().waitFor();
    await screenshotBoth("1-overview-attention");
  });

  it("2 · shows a persistent fail-open banner on every page, naming who switched it on", async () => {
    expect((await consoleApi(page, "PUT", "/api/console/settings", { unavailabilityPolicy: "fail_open" })).status).toBe(
      200,
    );
    try {
      for (const path of ["/", "/requests", "/authorizers", "/keys", "/members"]) {
        await page.goto(`${baseUrl}${path}`);
        const banner = page.getByTestId("fail-open-banner");
        await banner.waitFor();
        expect(await banner.textContent()).toContain(demo.email);
        expect(await banner.textContent()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      }
      await page.goto(`${baseUrl}/requests`);
      await screenshotBoth("2-fail-open-banner");
      await page.goto(`${baseUrl}/`);
      await page.getByRole("list", { name: "Needs attention" }).getByText("fail-open on").waitFor();
    } finally {
      await consoleApi(page, "PUT", "/api/console/settings", { unavailabilityPolicy: "fail_closed" });
    }
    await page.goto(`${baseUrl}/authorizers`);
    await page.getByRole("heading", { name: "Authorizers", level: 1 }).waitFor();
    expect(await page.getByTestId("fail-open-banner").count()).toBe(0);
  });

  it("3 · lists pending requests oldest first with time left; a request can be cancelled after confirmation and its ids copied", async () => {
    const [oldest, newest] = await submitRouted('["op-pending"]', 2);
    await page.goto(`${baseUrl}/`);
    const list = page.getByRole("list", { name: "Pending requests" });
    await list.waitFor();
    const hrefs = await list.getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(hrefs.indexOf(`/requests/${oldest}`)).toBeGreaterThanOrEqual(0);
    expect(hrefs.indexOf(`/requests/${oldest}`)).toBeLessThan(hrefs.indexOf(`/requests/${newest}`));
    await list
      .getByText(/min left/)
      .first()
      .waitFor();
    await screenshotBoth("3-overview-pending");

    await page.goto(`${baseUrl}/requests/${oldest}`);
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByRole("button", { name: "Copy request id" }).click();
    await page.getByRole("button", { name: "Copy request id" }).getByText("Copied").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(oldest);
    await page.getByRole("button", { name: "Cancel request" }).click();
    const dialog = page.getByRole("dialog", { name: "Cancel this request?" });
    await dialog.getByText(/the action will not execute/).waitFor();
    await screenshotBoth("3-cancel-confirm");
    await dialog.getByRole("button", { name: "Cancel request" }).click();
    await page.getByText("Request cancelled.").waitFor();
    expect((await consoleApi(page, "GET", `/api/console/requests/${oldest}`)).body.status).toBe("cancelled");
    await screenshotBoth("3-cancelled");
    await consoleApi(page, "POST", `/api/console/requests/${newest}/cancel`);
  });

  it("4 · confirms every destructive or traffic-affecting action in the same dialog, with the consequence", async () => {
    // Remove an authorizer public key that verified recent decisions (the server asks for the confirmation too).
    const spare = { keyId: "op-spare", algorithm: "ed25519", publicKey: generateKeyPair().publicKey };
    const withSpare = [{ keyId: authorizerKey.keyId, algorithm: "ed25519", publicKey: authorizerKey.publicKey }, spare];
    expect(
      (await consoleApi(page, "PATCH", "/api/console/authorizers/op-approver", { publicKeys: withSpare })).status,
    ).toBe(200);
    expect(
      (await consoleApi(page, "PATCH", "/api/console/authorizers/op-approver", { publicKeys: [spare] })).body.error,
    ).toBe("confirmation_required");
    await page.goto(`${baseUrl}/authorizers/op-approver`);
    await page.getByRole("button", { name: `Remove public key ${authorizerKey.keyId}` }).click();
    const removeKey = page.getByRole("dialog", { name: `Remove public key ${authorizerKey.keyId}?` });
    await removeKey.getByText(/is refused as invalid_signature/).waitFor();
    await screenshotBoth("4-remove-public-key");
    await removeKey.getByRole("button", { name: "Remove key" }).click();
    await waitFor(
      async () => (await consoleApi(page, "GET", "/api/console/authorizers/op-approver")).body.publicKeys.length,
      (n) => n === 1,
      "key removed",
    );

    // Disable an authorizer from its form.
    await page.getByLabel("Enabled").uncheck();
    await page.getByRole("button", { name: "Save changes" }).click();
    const disable = page.getByRole("dialog", { name: "Disable op-approver?" });
    await disable.getByText(/nothing it approves will execute/).waitFor();
    await screenshotBoth("4-disable-authorizer");
    await disable.getByRole("button", { name: "Disable authorizer" }).click();
    await page.getByText("Saved.", { exact: true }).waitFor();
    expect((await consoleApi(page, "GET", "/api/console/authorizers/op-approver")).body.enabled).toBe(false);

    // Delete an authorizer; the default has no Delete button at all (and the server says 409 default_authorizer).
    await page.goto(`${baseUrl}/authorizers`);
    const defaultName = (
      (await consoleApi(page, "GET", "/api/console/authorizers")).body.data as { name: string; isDefault: boolean }[]
    ).find((a) => a.isDefault)!.name;
    expect(await page.getByRole("button", { name: `Delete ${defaultName}` }).count()).toBe(0);
    expect((await consoleApi(page, "DELETE", `/api/console/authorizers/${defaultName}`)).body.error).toBe(
      "default_authorizer",
    );
    await page.getByRole("button", { name: "Delete op-pending" }).click();
    const remove = page.getByRole("dialog", { name: "Delete op-pending?" });
    await remove.getByText(/This cannot be undone/).waitFor();
    await screenshotBoth("4-delete-authorizer");
    await remove.getByRole("button", { name: "Delete authorizer" }).click();
    await waitFor(
      () => page.getByTestId("authorizer-op-pending").count(),
      (n) => n === 0,
      "op-pending gone",
    );

    // Revoke an API key in use: the dialog says so, and its secret leaves the screen.
    await page.goto(`${baseUrl}/api-keys`);
    await page.getByLabel("Name").fill("op-e2e-key");
    await page.getByRole("button", { name: "Create key" }).click();
    const secretField = page.getByRole("button", { name: "Copy API key secret" });
    await secretField.waitFor();
    const secret = (await page.locator("code[title^='sag_']").first().getAttribute("title"))!;
    expect(
      (
        await fetch(`${baseUrl}/api/v1/authorization-requests?limit=1`, {
          headers: { authorization: `Bearer ${secret}` },
        })
      ).status,
    ).toBe(200);
    await page.reload();
    await page.getByRole("button", { name: "Create key" }).waitFor();
    await page.getByLabel("Name").fill("op-e2e-key-2");
    await page.getByRole("button", { name: "Create key" }).click();
    await secretField.waitFor();
    await page.getByRole("button", { name: "Revoke op-e2e-key-2" }).click();
    const revoke = page.getByRole("dialog", { name: "Revoke op-e2e-key-2?" });
    await revoke.getByText(/cannot be undone/).waitFor();
    await screenshotBoth("4-revoke-api-key");
    await revoke.getByRole("button", { name: "Revoke key" }).click();
    await waitFor(
      () => secretField.count(),
      (n) => n === 0,
      "the revoked key's secret to disappear",
    );
    await page.getByRole("button", { name: "Revoke op-e2e-key", exact: true }).click();
    await page
      .getByRole("dialog", { name: "Revoke op-e2e-key?" })
      .getByText(/It was last used/)
      .waitFor();
    await page.getByRole("dialog", { name: "Revoke op-e2e-key?" }).getByRole("button", { name: "Revoke key" }).click();
    await waitFor(
      () => page.getByRole("button", { name: "Revoke op-e2e-key", exact: true }).count(),
      (n) => n === 0,
      "in-use key revoked",
    );
    expect(
      (
        await fetch(`${baseUrl}/api/v1/authorization-requests?limit=1`, {
          headers: { authorization: `Bearer ${secret}` },
        })
      ).status,
    ).toBe(401);

    // Promote a member to owner.
    const email = `op-member-${Date.now()}@acme.example`;
    const invited = await consoleApi(page, "POST", "/api/console/members", { email, role: "viewer" });
    const context = await browser.newContext();
    await acceptInvitationAsNewPerson(
      await context.newPage(),
      invited.body.inviteUrl,
      "Olga Operator",
      "operator-password-123",
    );
    await context.close();
    await page.goto(`${baseUrl}/members`);
    await page.getByLabel("Role of Olga Operator").selectOption("owner");
    const promote = page.getByRole("dialog", { name: "Make Olga Operator an owner?" });
    await promote.getByText(/full control of the tenant/).waitFor();
    await screenshotBoth("4-promote-owner");
    await promote.getByRole("button", { name: "Make owner" }).click();
    const members = await waitFor(
      async () =>
        (await consoleApi(page, "GET", "/api/console/members")).body.data as {
          email: string;
          role: string;
          userId: string;
        }[],
      (m) => m.some((x) => x.email === email && x.role === "owner"),
      "promotion",
    );
    const olga = members.find((m) => m.email === email)!;
    expect(
      (await consoleApi(page, "PATCH", `/api/console/members/${olga.userId}`, { role: "viewer" })).body.error,
    ).toBe("confirmation_required");
    await consoleApi(page, "DELETE", `/api/console/members/${olga.userId}`);
  });
});
