import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { demoAction } from "@/lib/demo/actions";
import {
  acceptInvitationAsNewPerson,
  consoleApi,
  browserForFile,
  screenshot,
  signIn,
  submitThroughApi,
} from "./browser";

// Issue 18, items 8 and 9: relative times with absolute ones on hover, time to expiry, summarised
// polls and labelled event fields; and the small things that read as unfinished.
const baseUrl = inject("baseUrl");
const demo = inject("demo");
const browser = browserForFile();

const sizes = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];

async function signedIn(
  viewport: { width: number; height: number },
  colorScheme: "light" | "dark" = "light",
): Promise<Page> {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  await signIn(page, baseUrl, demo.email, demo.password);
  return page;
}

/** Any CSS colour (Tailwind 4 computes to lab()/oklch()) as rgb(), painted on a 1×1 canvas in the page. */
const toRgb = (page: Page, colours: Record<string, string>) =>
  page.evaluate((input) => {
    const context = document.createElement("canvas").getContext("2d", { willReadFrequently: true })!;
    return Object.fromEntries(
      Object.entries(input).map(([name, colour]) => {
        context.clearRect(0, 0, 1, 1);
        context.fillStyle = colour;
        context.fillRect(0, 0, 1, 1);
        const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
        return [name, `rgb(${r}, ${g}, ${b})`];
      }),
    );
  }, colours);

/** WCAG contrast ratio of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = css
      .match(/[\d.]+/g)!
      .slice(0, 3)
      .map((v) => Number(v) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe("console: time and noise", () => {
  it("shows relative times with the absolute UTC time on hover, time to expiry, summarised polls and labelled fields", async () => {
    const setup = await signedIn(sizes[0]!);
    const sandbox = (
      (await consoleApi(setup, "GET", "/api/console/authorizers")).body.data as { name: string; isDefault: boolean }[]
    ).find((a) => a.isDefault)!;
    // Poll-only: the gateway polls the sandbox in the background until someone decides.
    expect(
      (await consoleApi(setup, "PATCH", `/api/console/authorizers/${sandbox.name}`, { pollOnly: true })).status,
    ).toBe(200);
    const submitted = await submitThroughApi(baseUrl, demo.apiKey, demoAction("wipe").body);
    expect(submitted.status).toBe(202);
    const requestId = submitted.body.requestId as string;
    const polls = async () =>
      (
        (await consoleApi(setup, "GET", `/api/console/requests/${requestId}`)).body.events as {
          data: { call?: string };
        }[]
      ).filter((e) => e.data?.call === "poll").length;
    for (let i = 0; i < 60 && (await polls()) < 3; i++) await new Promise((r) => setTimeout(r, 500));
    expect(await polls()).toBeGreaterThanOrEqual(3);
    await setup.context().close();

    for (const viewport of sizes) {
      const page = await signedIn(viewport);
      await page.goto(`${baseUrl}/requests?status=pending`);
      const row = page.getByRole("row").filter({ has: page.locator(`a[href="/requests/${requestId}"]`) });
      const expiry = row.locator("time", { hasText: /min left/ });
      await expiry.waitFor();
      expect(await expiry.getAttribute("title")).toMatch(/^Expires \d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d UTC$/);

      await page.goto(`${baseUrl}/requests/${requestId}`);
      const timeline = page.getByRole("list", { name: "Event timeline" });
      await timeline.waitFor();
      const summary = timeline.getByTestId("poll-summary");
      await summary.waitFor();
      expect(await summary.textContent()).toMatch(/Polled \d+ times, last \d\d:\d\d:\d\d UTC, pending/);
      expect(
        await timeline
          .getByRole("listitem")
          .filter({ hasText: "Authorizer attempt" })
          .filter({ hasText: "poll" })
          .count(),
      ).toBe(0);
      // Labelled fields, not "key: value" strings; every time relative with the absolute one on hover.
      const received = timeline.getByRole("listitem").filter({ hasText: "Request received" });
      expect(await received.getByRole("term").allTextContents()).toEqual(
        expect.arrayContaining(["Action type", "Principal type", "Expires"]),
      );
      expect(await timeline.textContent()).not.toMatch(/actionType: |principalType: /);
      const stamp = received.locator("time").first();
      expect(await stamp.textContent()).toMatch(/ago|just now/);
      expect(await stamp.getAttribute("title")).toMatch(/^\d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d UTC$/);
      await summary.scrollIntoViewIfNeeded();
      await screenshot(page, `time-and-noise-request-${viewport.width}`);
      await page.context().close();
    }

    const cleanup = await signedIn(sizes[0]!);
    await consoleApi(cleanup, "PATCH", `/api/console/authorizers/${sandbox.name}`, { pollOnly: false });
    const item = (
      (await consoleApi(cleanup, "GET", "/api/console/sandbox/requests?view=pending")).body.requests as any[]
    ).find((r) => r.requestId === requestId);
    if (item)
      await consoleApi(cleanup, "POST", `/api/console/sandbox/requests/${item.id}/reviews`, {
        verdict: "deny",
        reason: "Test over",
      });
    await cleanup.context().close();
  });
});

describe("console: the small things", () => {
  it("answers unknown addresses and request ids with a styled not-found page and a way back", async () => {
    for (const viewport of sizes) {
      const page = await signedIn(viewport);
      const response = await page.goto(`${baseUrl}/requests/req_doesnotexist00000000`);
      expect(response?.status()).toBe(404);
      await page.getByRole("heading", { name: "Not found" }).waitFor();
      await screenshot(page, `polish-not-found-request-${viewport.width}`);
      const unknown = await page.goto(`${baseUrl}/no-such-page`);
      expect(unknown?.status()).toBe(404);
      await page.getByRole("link", { name: "Back to the overview" }).click();
      await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
      await page.context().close();
    }
  });

  it("drops empty filters from the URL, confirms a role change, and signs out with a notice", async () => {
    const page = await signedIn(sizes[0]!);
    await page.goto(`${baseUrl}/requests`);
    await page.getByLabel("Status").selectOption("approved");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(`${baseUrl}/requests?status=approved`);
    expect(new URL(page.url()).search).toBe("?status=approved");

    const email = `polish-${Date.now()}@acme.example`;
    const invited = await consoleApi(page, "POST", "/api/console/members", { email, role: "viewer" });
    const newcomer = await browser.newContext();
    await acceptInvitationAsNewPerson(
      await newcomer.newPage(),
      invited.body.inviteUrl,
      "Polly Polish",
      "polish-password-123",
    );
    await newcomer.close();
    await page.goto(`${baseUrl}/members`);
    const member = page.getByRole("listitem").filter({ hasText: email });
    await member.getByRole("combobox").selectOption("admin");
    const confirm = page.getByRole("dialog");
    if (await confirm.isVisible().catch(() => false)) await confirm.getByRole("button").last().click();
    await page.getByText("Polly Polish is now an admin.").waitFor();
    await screenshot(page, "polish-success-message-1440");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login\?signedOut=1/);
    await page.getByText("You are signed out.").waitFor();
    await screenshot(page, "polish-signed-out-1440");
    await page.context().close();
  });

  it("times out a test event that gets no answer, with a message", async () => {
    const page = await signedIn(sizes[1]!);
    const hadWebhook = Boolean((await consoleApi(page, "GET", "/api/console/settings")).body.webhookUrl);
    if (!hadWebhook)
      await consoleApi(page, "PUT", "/api/console/settings", { webhookUrl: "http://127.0.0.1:9/webhook-for-polish" });
    // The gateway is unreachable: the request never gets an answer.
    await page.route("**/api/console/settings/webhook-test", () => undefined);
    await page.goto(`${baseUrl}/settings`);
    await page.getByRole("button", { name: "Send test event" }).click();
    await page.getByRole("button", { name: "Sending…" }).waitFor();
    await page.getByText(/No answer within 15 s/).waitFor({ timeout: 25_000 });
    expect(await page.getByRole("button", { name: "Send test event" }).isEnabled()).toBe(true);
    await screenshot(page, "polish-test-event-timeout-390");
    if (!hadWebhook) await consoleApi(page, "PUT", "/api/console/settings", { webhookUrl: null });
    await page.context().close();
  });

  it("withholds the approval-rate headline under 20 decisions and draws latency on a readable scale", async () => {
    const page = await signedIn(sizes[0]!);
    expect((await submitThroughApi(baseUrl, demo.apiKey, demoAction("aws-admin").body)).body.status).toBe("approved");
    const stats = (await consoleApi(page, "GET", "/api/console/stats")).body;
    const decided = stats.last24h.approved + stats.last24h.denied;
    await page.goto(`${baseUrl}/`);
    const day = page.locator("section").filter({ hasText: "Last 24 hours" }).first();
    await day.waitFor();
    if (decided < 20) {
      expect(await day.getByTestId("approval-rate-withheld").textContent()).toContain(`of ${decided} decided`);
      expect(await day.getByText("approval rate", { exact: false }).count()).toBe(0);
    } else {
      await day.getByText("approval rate", { exact: false }).waitFor();
    }
    const latency = page.locator("section").filter({ hasText: "Decision latency" }).first();
    await latency.getByText("logarithmic scale").waitFor();
    await screenshot(page, "polish-overview-1440");
    await page.context().close();
  });

  it("reaches 4.5:1 for placeholders and line numbers, keeps the nav focus ring, follows a dark system theme, and has a favicon and logo", async () => {
    for (const scheme of ["light", "dark"] as const) {
      for (const viewport of sizes) {
        const page = await signedIn(viewport, scheme);
        await page.goto(`${baseUrl}/requests`);
        await page.getByRole("heading", { name: "Requests", level: 1 }).waitFor();
        const field = await page.evaluate(() => {
          const input = document.querySelector("input[placeholder]")!;
          return {
            placeholder: getComputedStyle(input, "::placeholder").color,
            inputBackground: getComputedStyle(input).backgroundColor,
            body: getComputedStyle(document.body).backgroundColor,
          };
        });
        await page.goto(`${baseUrl}/routing`);
        await page.getByTestId("line-numbers").waitFor();
        const gutter = await page.getByTestId("line-numbers").evaluate((el) => ({
          lineNumber: getComputedStyle(el).color,
          gutterBackground: getComputedStyle(el).backgroundColor,
        }));
        const colours = await toRgb(page, { ...field, ...gutter });
        expect(
          contrast(colours.lineNumber!, colours.gutterBackground!),
          `line numbers ${JSON.stringify(colours)}`,
        ).toBeGreaterThanOrEqual(4.5);
        expect(
          contrast(colours.placeholder!, colours.inputBackground!),
          `placeholder ${JSON.stringify(colours)}`,
        ).toBeGreaterThanOrEqual(4.5);
        const dark = contrast(colours.body!, "rgb(0, 0, 0)") < 2;
        expect(dark).toBe(scheme === "dark");
        await screenshot(page, `polish-theme-${scheme}-${viewport.width}`);
        await page.context().close();
      }
    }

    const page = await signedIn(sizes[0]!);
    await page.goto(`${baseUrl}/`);
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    // Keyboard focus on a nav tab: the outline is drawn inside the link, so the scrolling row cannot clip it.
    const link = page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Requests" });
    await link.focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    const ring = await link.evaluate((el) => ({
      style: getComputedStyle(el).outlineStyle,
      offset: getComputedStyle(el).outlineOffset,
      focused: el.matches(":focus-visible"),
    }));
    expect(ring).toEqual({ style: "solid", offset: "-2px", focused: true });
    await screenshot(page, "polish-nav-focus-1440");
    expect(await page.locator('link[rel="icon"]').getAttribute("href")).toContain("/favicon.svg");
    for (const asset of ["/favicon.svg", "/logo.svg"]) {
      const response = await fetch(`${baseUrl}${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get("content-type"), asset).toContain("image/svg+xml");
    }
    await page.context().close();
  });
});
