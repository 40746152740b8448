import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { authorizerKey } from "../setup/stub-authorizer";
import { browserForFile, removeAuthorizers, screenshot, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const demo = inject("demo");
const browser = browserForFile();
let page: Page;

beforeAll(async () => {
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await signIn(page, baseUrl, demo.email, demo.password);
});
afterAll(async () => {
  if (page) await removeAuthorizers(page, ["primary-review", "security-team"]);
});

async function addAuthorizer(name: string, endpoint: string) {
  const form = page.getByRole("form", { name: "Add an authorizer" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Endpoint").fill(endpoint);
  await form.getByLabel("SP id").fill(`sp_acme_${name.replace(/-/g, "_")}`);
  await form.getByLabel("Authorizer key id").fill(authorizerKey.keyId);
  await form.getByLabel("Authorizer public key").fill(authorizerKey.publicKey);
  await form.getByRole("button", { name: "Add authorizer" }).click();
  await page.getByTestId(`authorizer-${name}`).waitFor();
}

describe("console: authorizers and routing", () => {
  it("adds two authorizers and makes the second the default", async () => {
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Authorizers" }).click();
    await page.getByRole("heading", { name: "Authorizers", level: 1 }).waitFor();
    await addAuthorizer("primary-review", "https://review.acme.example/stepauth");
    await addAuthorizer("security-team", "https://security.acme.example/stepauth");
    const security = page.getByTestId("authorizer-security-team");
    await security.getByRole("button", { name: "Make security-team the default" }).click();
    // Nothing was ever sent to it: the shared dialog warns before it takes all unrouted traffic.
    const warning = page.getByRole("dialog", { name: "Make security-team the default?" });
    await warning.getByText("security-team is untested").waitFor();
    await warning.getByRole("button", { name: "Make it the default anyway" }).click();
    await security.getByText("default", { exact: true }).waitFor();
    // Exactly one default, as the server keeps it.
    expect(await page.getByText("default", { exact: true }).count()).toBe(1);
    await screenshot(page, "authorizers-list");

    await security.getByRole("link", { name: "security-team", exact: true }).click();
    await page.getByRole("heading", { name: "security-team", level: 1 }).waitFor();
    expect(await page.getByText(/\/api\/stepauth\/callback\/[0-9a-f-]{36}$/).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Copy callback URL" }).isVisible()).toBe(true);
    await screenshot(page, "authorizer-detail");
  });

  it("shows a syntax error at its line as you type, then tests the fixed script against the wipe sample and saves it", async () => {
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Routing" }).click();
    await page.getByRole("heading", { name: "Routing", level: 1 }).waitFor();
    const editor = page.getByLabel("Routing script", { exact: true });
    await editor.fill('request.action.category == "infra.destroy"\n  ? ["security-team"\n  : ["primary-review"]');
    const issue = page.getByTestId("routing-issues").getByText(/^Line 3, column/);
    await issue.waitFor();
    expect(await page.locator('[data-error-line="3"]').count()).toBe(1);
    expect(await page.getByRole("button", { name: "Save script" }).isDisabled()).toBe(true);
    await screenshot(page, "routing-syntax-error");

    await editor.fill('request.action.category == "infra.destroy"\n  ? ["security-team"]\n  : ["primary-review"]');
    await page.getByText("Valid script.").waitFor();
    expect(await page.locator("[data-error-line]").count()).toBe(0);

    await page.getByLabel("Sample request").selectOption("sample:wipe");
    await page.getByRole("button", { name: "Run test" }).click();
    const result = page.getByTestId("routing-test-result");
    await result.getByText("Routed to").waitFor();
    expect(await result.getByText("security-team").isVisible()).toBe(true);

    await page.getByRole("button", { name: "Save script" }).click();
    await page.getByText("Saved. New requests are routed with this script.").waitFor();
    await screenshot(page, "routing-saved");
    await page.reload();
    expect(await page.getByLabel("Routing script", { exact: true }).inputValue()).toContain('["security-team"]');
  });
});
