import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { consoleApi, browserForFile, screenshot, signIn, submitThroughApi } from "./browser";

const baseUrl = inject("baseUrl");
const demo = inject("demo");
const browser = browserForFile();
let page: Page;

beforeAll(async () => {
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await signIn(page, baseUrl, demo.email, demo.password);
  expect((await consoleApi(page, "PUT", "/api/console/settings", { routingScript: '["$approve"]' })).status).toBe(200);
  for (let i = 0; i < 3; i++) {
    const submitted = await submitThroughApi(baseUrl, demo.apiKey, {
      principal: { type: "human", attributes: [{ key: "email", label: "Email", value: "auditor@example.com" }] },
      action: { type: "report.export", summary: `If approved, quarterly report ${i} is exported.` },
      externalId: `e2e-audit-${i}-${Date.now()}`,
    });
    expect(submitted.status).toBe(200);
  }
});
afterAll(async () => {
  if (page) await consoleApi(page, "PUT", "/api/console/settings", { routingScript: null });
});

describe("console: Verify integrity", () => {
  it("verifies the sealed audit trail from the requests page and says what it checked", async () => {
    // The worker seals every AUDIT_SEAL_INTERVAL_SECONDS (2 s in this suite): wait for the entries above.
    const deadline = Date.now() + 30_000;
    let report = (await consoleApi(page, "GET", "/api/console/audit/verify")).body;
    while (report.unsealedEntries > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      report = (await consoleApi(page, "GET", "/api/console/audit/verify")).body;
    }
    expect(report).toMatchObject({ ok: true, unsealedEntries: 0 });

    await page.goto(`${baseUrl}/requests`);
    await page.getByRole("heading", { name: "Requests", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Verify integrity" }).click();
    await page.getByText("Audit trail intact").waitFor();
    const text = await page.getByText(/entries and \d+ signed checkpoints verified/).textContent();
    expect(Number(/(\d+) entries/.exec(text ?? "")?.[1])).toBeGreaterThan(10);
    await screenshot(page, "verify-integrity");

    await page.goto(`${baseUrl}/requests?range=24h`);
    await page.getByRole("button", { name: "Verify integrity" }).click();
    await page.getByText("Audit trail intact").waitFor();
    await screenshot(page, "verify-integrity-24h");
  });
});
