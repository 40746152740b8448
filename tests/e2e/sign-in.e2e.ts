import { describe, expect, inject, it } from "vitest";
import { acceptInvitationAsNewPerson, browserForFile, screenshot, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const demo = inject("demo");
const browser = browserForFile();

describe("console sign-in", () => {
  it("refuses a wrong password with the generic message", async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel("Email").fill(demo.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("That e-mail and password do not match an account.").waitFor();
    expect(page.url()).toContain("/login");
    await screenshot(page, "login-error");
    await page.close();
  });

  it("signs in with the printed demo credentials and shows the console", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, baseUrl, demo.email, demo.password);
    // Other browser tests may already have sent requests: check the console itself, not its contents.
    expect(await page.getByRole("navigation", { name: "Console" }).isVisible()).toBe(true);
    expect(page.url()).toBe(`${baseUrl}/`);
    await screenshot(page, "console-overview");
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "API keys" }).click();
    await page.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
    await page.getByText("Demo key (all scopes)").first().waitFor();
    await screenshot(page, "console-api-keys");
    await page.close();
  });

  it("shows a viewer no mutating controls, and the server refuses a crafted mutation", async () => {
    const owner = await browser.newContext();
    const ownerPage = await owner.newPage();
    await signIn(ownerPage, baseUrl, demo.email, demo.password);
    const viewerEmail = `viewer-${Date.now()}@acme.example`;
    const added = await ownerPage.evaluate(async (email) => {
      const response = await fetch("/api/console/members", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, role: "viewer" }),
      });
      return { status: response.status, body: await response.json() };
    }, viewerEmail);
    expect(added.status).toBe(201);
    await owner.close();

    const viewer = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await viewer.newPage();
    await acceptInvitationAsNewPerson(page, added.body.inviteUrl, "Vera Viewer", "viewer-password-123");
    await page.goto(`${baseUrl}/api-keys`);
    await page.getByText("Demo key (all scopes)").waitFor();
    expect(await page.getByRole("button", { name: "Create key" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /Revoke/ }).count()).toBe(0);
    await screenshot(page, "viewer-api-keys-phone");
    const crafted = await page.evaluate(async () => {
      const response = await fetch("/api/console/api-keys", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "crafted", scopes: ["admin"] }),
      });
      return { status: response.status, body: await response.json() };
    });
    expect(crafted).toEqual({
      status: 403,
      body: { error: "forbidden", message: "Your role does not allow keys:manage" },
    });
    await viewer.close();
  });
});
