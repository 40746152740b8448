import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { demoAction } from "@/lib/demo/actions";
import { consoleApi, browserForFile, screenshot, signIn, submitThroughApi } from "./browser";

// Issue 18, item 6: every console and sandbox page fits a 390 px phone, with a menu and collapsed filters.
const baseUrl = inject("baseUrl");
const demo = inject("demo");
const browser = browserForFile();

/** The page's width, and the innermost elements that stick out on the right (named in a failure). */
const overflow = (page: Page) =>
  page.evaluate(() => {
    // Where overflow starts: elements sticking out whose parent does not (inside a scroll box is fine).
    const sticksOut = (el: Element | null) =>
      Boolean(el) && el!.getBoundingClientRect().right > window.innerWidth + 0.5;
    const inScrollBox = (el: Element) => {
      for (let p = el.parentElement; p; p = p.parentElement)
        if (/(auto|scroll|hidden)/.test(getComputedStyle(p).overflowX)) return true;
      return false;
    };
    const wide = [...document.querySelectorAll("body *")].filter(
      (el) => sticksOut(el) && !sticksOut(el.parentElement) && !inScrollBox(el),
    );
    const culprits = wide
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} "${(el.textContent ?? "").slice(0, 30)}"`,
      );
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, culprits };
  });

async function expectNoSidewaysScroll(page: Page, path: string, name: string) {
  await page.goto(`${baseUrl}${path}`);
  await page.locator("main h1").first().waitFor();
  await page.waitForLoadState("networkidle");
  const { scrollWidth, innerWidth, culprits } = await overflow(page);
  expect
    .soft(scrollWidth, `${path} is ${scrollWidth} px wide at ${innerWidth} px: ${culprits.join(", ")}`)
    .toBeLessThanOrEqual(innerWidth);
  await screenshot(page, `phones-${name}-390`);
}

describe("console and sandbox on a 390 px phone", () => {
  it("scrolls no page sideways, the settings page included after a webhook secret rotation", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page, baseUrl, demo.email, demo.password);
    const submitted = await submitThroughApi(baseUrl, demo.apiKey, demoAction("wire").body);
    expect(submitted.status).toBe(202);
    const authorizers = (await consoleApi(page, "GET", "/api/console/authorizers")).body.data as { name: string }[];
    const pages = [
      ["/", "overview"],
      ["/requests", "requests"],
      [`/requests/${submitted.body.requestId}`, "request"],
      ["/authorizers", "authorizers"],
      [`/authorizers/${authorizers[0]!.name}`, "authorizer"],
      ["/routing", "routing"],
      ["/keys", "keys"],
      ["/settings", "settings"],
      ["/api-keys", "api-keys"],
      ["/members", "members"],
      ["/sandbox", "sandbox"],
      ["/sandbox/policy", "sandbox-policy"],
    ] as const;
    for (const [path, name] of pages) await expectNoSidewaysScroll(page, path, name);

    // A rotation shows the new secret once: a long unbroken string that used to widen the page.
    const hadWebhook = Boolean((await consoleApi(page, "GET", "/api/console/settings")).body.webhookUrl);
    if (!hadWebhook)
      await consoleApi(page, "PUT", "/api/console/settings", { webhookUrl: "http://127.0.0.1:9/webhook-for-phones" });
    await page.goto(`${baseUrl}/settings`);
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click();
    await page
      .getByText(/whsec_/)
      .first()
      .waitFor();
    const rotated = await overflow(page);
    expect(rotated.scrollWidth, `settings after a rotation: ${rotated.culprits.join(", ")}`).toBeLessThanOrEqual(
      rotated.innerWidth,
    );
    await screenshot(page, "phones-settings-rotated-390");
    if (!hadWebhook) await consoleApi(page, "PUT", "/api/console/settings", { webhookUrl: null });
    await context.close();
  });

  it("reaches every console page through the menu, and collapses the request filters behind one button", async () => {
    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1440, height: 900 },
    ]) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await signIn(page, baseUrl, demo.email, demo.password);
      const phone = viewport.width < 640;
      const nav = page.getByRole("navigation", { name: "Console" });
      if (phone) {
        expect(await nav.getByRole("link", { name: "Members" }).isVisible()).toBe(false);
        await page.getByRole("button", { name: "Menu" }).click();
        await screenshot(page, "phones-menu-open-390");
      }
      await nav.getByRole("link", { name: "Requests" }).click();
      await page.getByRole("heading", { name: "Requests", level: 1 }).waitFor();
      await page.getByRole("form", { name: "Filter requests" }).waitFor();
      const filters = page.getByRole("button", { name: /^Filters/ });
      if (phone) {
        expect(await page.getByLabel("Status").isVisible()).toBe(false);
        await filters.click();
        await page.getByLabel("Status").waitFor();
        await screenshot(page, "phones-filters-open-390");
      } else {
        expect(await page.getByLabel("Status").isVisible()).toBe(true);
        await screenshot(page, "phones-requests-1440");
      }
      if (phone) await page.getByRole("button", { name: "Menu" }).click();
      await nav.getByRole("link", { name: "Members" }).click();
      await page.getByRole("heading", { name: "Members", level: 1 }).waitFor();
      await context.close();
    }
  });
});
