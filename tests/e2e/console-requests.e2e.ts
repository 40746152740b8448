import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sampleRequests } from "@/lib/console/sample-requests";
import { consoleApi, browserForFile, screenshot, signIn, submitThroughApi } from "./browser";

const baseUrl = inject("baseUrl");
const demo = inject("demo");
const browser = browserForFile();
let page: Page;

beforeAll(async () => {
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await signIn(page, baseUrl, demo.email, demo.password);
  // Routing decides these at once, so the trail has approvals and denials without any authorizer.
  const script = 'request.action.category == "financial.transfer" ? ["$deny"] : ["$approve"]';
  expect((await consoleApi(page, "PUT", "/api/console/settings", { routingScript: script })).status).toBe(200);
  for (const sample of sampleRequests) {
    const submitted = await submitThroughApi(baseUrl, demo.apiKey, {
      principal: sample.principal,
      action: sample.action,
      externalId: `e2e-${sample.id}-${Date.now()}`,
    });
    expect(submitted.status).toBe(200);
  }
});
afterAll(async () => {
  if (page) await consoleApi(page, "PUT", "/api/console/settings", { routingScript: null });
});

describe("console: overview and audit trail", () => {
  it("shows the overview with this tenant's numbers", async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole("heading", { name: "Last 24 hours" }).waitFor();
    // An approval-rate headline needs 20 decisions (issue 18); below that the counts are shown instead.
    const { last24h } = (await consoleApi(page, "GET", "/api/console/stats")).body;
    const rate =
      last24h.approved + last24h.denied >= 20
        ? page.getByText("approval rate", { exact: false })
        : page.getByTestId("approval-rate-withheld");
    expect(await rate.first().isVisible()).toBe(true);
    await screenshot(page, "overview");
  });

  it("filters the audit trail, exports it, and opens a request's timeline", async () => {
    await page
      .getByRole("navigation", { name: "Console" })
      .getByRole("link", { name: "Requests", exact: true })
      .click();
    await page.getByRole("heading", { name: "Requests", level: 1 }).waitFor();
    await screenshot(page, "requests-list");

    await page.getByLabel("Status").selectOption("denied");
    await page.getByLabel("Search summary or external ID").fill("SWIFT");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/status=denied/);
    const rows = page.locator("tbody tr");
    await page.waitForFunction(
      () =>
        document.querySelectorAll("tbody tr").length >= 1 &&
        [...document.querySelectorAll("tbody tr")].every((r) => r.textContent?.includes("SWIFT")),
    );
    expect(await rows.first().getByText("denied").isVisible()).toBe(true);
    await screenshot(page, "requests-filtered");

    const exported = await page.evaluate(async () => {
      const link = [...document.querySelectorAll("a")].find((a) => a.textContent === "Export CSV")!;
      const response = await fetch(link.href);
      return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
    });
    expect(exported.status).toBe(200);
    expect(exported.type).toContain("text/csv");
    expect(
      exported.text
        .trim()
        .split("\r\n")
        .slice(1)
        .every((line) => line.includes('"denied"') && line.includes("SWIFT")),
    ).toBe(true);

    await rows.first().getByRole("link").click();
    await page.getByRole("heading", { name: "Timeline" }).waitFor();
    expect(await page.getByText("Request received").isVisible()).toBe(true);
    expect(await page.getByText("Decided without an authorizer").isVisible()).toBe(true);
    expect(await page.getByText("Matsuda Electronics", { exact: true }).isVisible()).toBe(true);
    await screenshot(page, "request-detail");
  });

  it("shows an approval's execution window on its page", async () => {
    await page.goto(`${baseUrl}/requests?status=approved`);
    await page.waitForFunction(() => document.querySelectorAll("tbody tr").length >= 1);
    await page.locator("tbody tr").first().getByRole("link").click();
    await page.getByRole("heading", { name: "Timeline" }).waitFor();
    expect(await page.getByText("Execution window").isVisible()).toBe(true);
    await page.getByText(/^closes at /).waitFor();
    await screenshot(page, "request-execution-window");
  });

  it("works on a phone screen", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(phone, baseUrl, demo.email, demo.password);
    await phone.goto(`${baseUrl}/requests`);
    await phone.getByRole("heading", { name: "Requests", level: 1 }).waitFor();
    await screenshot(phone, "requests-phone");
    await phone.close();
  });
});
