import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { demoAction } from "@/lib/demo/actions";
import { consoleApi, browserForFile, screenshot, signIn, submitThroughApi } from "./browser";

// Issue 18, item 7: money reads as money, each reviewer's reason sits under their name, nobody
// approves their own request, and the inbox has search, a compact list and sign-out.
const baseUrl = inject("baseUrl");
const demo = inject("demo");
const browser = browserForFile();

/** The $4.2M wire, operated by `email`, with an invoice number unique to this run. */
function wire(email: string, invoice: string) {
  const body = structuredClone(demoAction("wire").body) as any;
  body.principal.operator.attributes = body.principal.operator.attributes.map((a: any) =>
    a.key === "email" ? { ...a, value: email } : a,
  );
  body.action.details = body.action.details.map((d: any) => (d.key === "invoice" ? { ...d, value: invoice } : d));
  return body;
}

const inboxItem = async (page: Page, requestId: string) =>
  ((await consoleApi(page, "GET", "/api/console/sandbox/requests?view=pending")).body.requests as any[]).find(
    (r) => r.requestId === requestId,
  );

describe("sandbox: reviewer safety", () => {
  it("formats the wire as money, blocks approving one's own request (server too), and shows each reason under its reviewer", async () => {
    const stamp = Date.now();
    const own = await submitThroughApi(baseUrl, demo.apiKey, wire(demo.email, `#OWN-${stamp}`));
    const other = await submitThroughApi(baseUrl, demo.apiKey, wire("dana.whitfield@acme.com", `#OTHER-${stamp}`));
    expect([own.status, other.status]).toEqual([202, 202]);

    for (const viewport of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await signIn(page, baseUrl, demo.email, demo.password);
      await page.goto(`${baseUrl}/sandbox`);
      await page.getByRole("heading", { name: "Reviewer inbox" }).waitFor();
      const ownCard = page.getByRole("article").filter({ hasText: own.body.requestId });
      await ownCard.waitFor();
      expect(await ownCard.getByRole("row", { name: /Amount \(USD\)/ }).textContent()).toContain("$4,200,000.00");
      await ownCard.getByText("You are in this request's principal chain").waitFor();
      await ownCard.getByLabel("Reason").fill("Approving my own wire");
      expect(await ownCard.getByRole("button", { name: "Approve" }).isDisabled()).toBe(true);
      expect(await ownCard.getByRole("button", { name: "Deny" }).isDisabled()).toBe(false);
      await ownCard.scrollIntoViewIfNeeded();
      await screenshot(page, `sandbox-reviewer-own-request-${viewport.width}`);
      await context.close();
    }

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, baseUrl, demo.email, demo.password);
    // The server refuses it too, with its code, whatever the page shows.
    const ownItem = await inboxItem(page, own.body.requestId);
    const crafted = await consoleApi(page, "POST", `/api/console/sandbox/requests/${ownItem.id}/reviews`, {
      verdict: "approve",
      reason: "crafted",
    });
    expect(crafted).toMatchObject({ status: 403, body: { error: "separation_of_duties" } });

    await page.goto(`${baseUrl}/sandbox`);
    const otherCard = page.getByRole("article").filter({ hasText: other.body.requestId });
    await otherCard.getByLabel("Reason").fill("Invoice matches the ERP entry");
    await otherCard.getByRole("button", { name: "Approve" }).click();
    await page.getByRole("status").filter({ hasText: "Your approval is recorded" }).waitFor();
    const review = otherCard.getByRole("list", { name: "Reviews" }).getByRole("listitem");
    await review.waitFor();
    expect(await review.getByText("Alex Owner", { exact: true }).isVisible()).toBe(true);
    expect(await review.getByTestId("review-reason").textContent()).toBe("Invoice matches the ERP entry");
    await otherCard.scrollIntoViewIfNeeded();
    await screenshot(page, "sandbox-reviewer-reason-1440");

    // Leave the inbox as other files expect it: the owner may deny their own wire; the other is cancelled by the service.
    expect(
      (
        await consoleApi(page, "POST", `/api/console/sandbox/requests/${ownItem.id}/reviews`, {
          verdict: "deny",
          reason: "Test over",
        })
      ).status,
    ).toBe(200);
    const cancelled = await fetch(`${baseUrl}/api/v1/authorization-requests/${other.body.requestId}/cancel`, {
      method: "POST",
      headers: { authorization: `Bearer ${demo.apiKey}` },
    });
    expect(cancelled.status).toBeLessThan(300);
    await context.close();
  });

  it("searches the inbox, shows it as a compact list, and signs out with a notice", async () => {
    const stamp = Date.now();
    const first = await submitThroughApi(baseUrl, demo.apiKey, wire("dana.whitfield@acme.com", `#FIND-${stamp}`));
    const second = await submitThroughApi(baseUrl, demo.apiKey, demoAction("wipe").body);
    for (const viewport of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await signIn(page, baseUrl, demo.email, demo.password);
      await page.goto(`${baseUrl}/sandbox`);
      const cards = page.getByRole("tabpanel").getByRole("article");
      await cards.filter({ hasText: first.body.requestId }).waitFor();
      await page.getByLabel("Search requests").fill(`FIND-${stamp}`);
      await page.waitForFunction(() => document.querySelectorAll("[role=tabpanel] article").length === 1);
      expect(await cards.first().textContent()).toContain(first.body.requestId);
      await page.getByLabel("Search requests").fill("no-such-request-anywhere");
      await page.getByText("No request matches").waitFor();
      await page.getByLabel("Search requests").fill("");

      await page.getByRole("button", { name: "Compact" }).click();
      const rows = page.getByRole("list", { name: "Requests, compact" }).getByRole("listitem");
      expect(await rows.count()).toBeGreaterThanOrEqual(2);
      await screenshot(page, `sandbox-reviewer-compact-${viewport.width}`);
      const wipeRow = rows.filter({ hasText: "C02ZX1ABCDEF" }).first();
      await wipeRow.getByRole("button").first().click();
      await wipeRow.getByRole("article").getByLabel("Reason").waitFor();

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/login\?signedOut=1/);
      await page.getByText("You are signed out.").waitFor();
      await screenshot(page, `sandbox-reviewer-signed-out-${viewport.width}`);
      await context.close();
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, baseUrl, demo.email, demo.password);
    for (const requestId of [first.body.requestId, second.body.requestId]) {
      const item = await inboxItem(page, requestId);
      if (item)
        await consoleApi(page, "POST", `/api/console/sandbox/requests/${item.id}/reviews`, {
          verdict: "deny",
          reason: "Test over",
        });
    }
    await context.close();
  });
});
