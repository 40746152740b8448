import { describe, expect, inject, it } from "vitest";
import { consoleApi, browserForFile, screenshot, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const demo = inject("demo");
const browser = browserForFile();

describe("onboarding: sign-up, invitation of an existing account, tenant switcher", () => {
  it("signs up into a new tenant, joins Acme by invitation while signed in, and switches between them", async () => {
    const email = `founder-${Date.now()}@startup.example`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByRole("link", { name: "Create an account and a tenant" }).click();
    await page.getByLabel("Your name").fill("Fay Founder");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("founder-password-123");
    await page.getByLabel("Organisation (tenant) name").fill("Startup Inc");
    await screenshot(page, "signup");
    await page.getByRole("button", { name: "Create account and tenant" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.getByText("Startup Inc", { exact: true }).waitFor();
    expect(await page.getByText("owner", { exact: true }).count()).toBeGreaterThan(0);

    const acme = await browser.newPage();
    await signIn(acme, baseUrl, demo.email, demo.password);
    const invited = await consoleApi(acme, "POST", "/api/console/members", { email, role: "viewer" });
    expect(invited.status).toBe(201);
    expect(JSON.stringify(invited.body)).not.toContain("Fay Founder");
    await acme.close();

    await page.goto(invited.body.inviteUrl);
    await page.getByRole("button", { name: "Join Acme" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    const switcher = page.getByLabel("Tenant");
    expect(await switcher.locator("option:checked").textContent()).toBe("Acme (viewer)");
    await screenshot(page, "tenant-switcher");
    await switcher.selectOption({ label: "Startup Inc (owner)" });
    await page.waitForFunction(
      () =>
        (document.querySelector("#tenant-switcher") as HTMLSelectElement | null)?.selectedOptions[0]?.textContent ===
        "Startup Inc (owner)",
    );
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await context.close();
  });
});
