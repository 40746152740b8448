import { describe, expect, inject, it } from "vitest";
import { acceptInvitationAsNewPerson, consoleApi, browserForFile, screenshot, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const demo = inject("demo");
const browser = browserForFile();

describe("console: settings and the viewer's read-only console", () => {
  it("asks for explicit confirmation before failing open, and saves retries and lifetimes", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(page, baseUrl, demo.email, demo.password);
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    await screenshot(page, "settings");

    await page.getByRole("radio", { name: /Fail open/ }).click();
    const dialog = page.getByRole("dialog", { name: "Approve requests without review when authorizers are down?" });
    await dialog.waitFor();
    expect(await dialog.getByRole("button", { name: "Switch to fail open" }).isDisabled()).toBe(true);
    await screenshot(page, "settings-fail-open-confirm");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await page.getByRole("radio", { name: /Fail closed/ }).isChecked()).toBe(true);
    expect((await consoleApi(page, "GET", "/api/console/settings")).body.unavailabilityPolicy).toBe("fail_closed");

    await page.getByLabel("Attempts").fill("4");
    await page.getByLabel("Default request lifetime (minutes)").fill("45");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved.", { exact: true }).waitFor();
    expect((await consoleApi(page, "GET", "/api/console/settings")).body).toMatchObject({
      defaultExpiresIn: 2700,
      retryPolicy: { maxAttempts: 4 },
    });
    await page.close();
  });

  it("shows a viewer no mutating controls on any screen, and the server refuses crafted mutations", async () => {
    const owner = await browser.newPage();
    await signIn(owner, baseUrl, demo.email, demo.password);
    const email = `viewer-console-${Date.now()}@acme.example`;
    const invited = await consoleApi(owner, "POST", "/api/console/members", { email, role: "viewer" });
    expect(invited.status).toBe(201);
    await owner.close();

    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await acceptInvitationAsNewPerson(page, invited.body.inviteUrl, "Vic Viewer", "viewer-password-123");
    const screens = [
      {
        path: "/authorizers",
        heading: "Authorizers",
        forbidden: [/^Add authorizer$/, /^Make .* the default$/, /^Delete /],
      },
      { path: "/routing", heading: "Routing", forbidden: [/^Save script$/] },
      { path: "/keys", heading: "Signing keys", forbidden: [/^Rotate$/, /^Activate /, /^Retire /] },
      { path: "/settings", heading: "Settings", forbidden: [/^Save/, /^Rotate secret$/, /^Send test event$/] },
      {
        path: "/members",
        heading: "Members",
        forbidden: [/^Add member$/, /^Create invitation$/, /^Revoke /, /^Remove /],
      },
    ];
    for (const screen of screens) {
      await page.goto(`${baseUrl}${screen.path}`);
      await page.getByRole("heading", { name: screen.heading, level: 1 }).waitFor();
      for (const name of screen.forbidden)
        expect(await page.getByRole("button", { name }).count(), `${screen.path} ${name}`).toBe(0);
      await screenshot(page, `viewer${screen.path.replace("/", "-")}-phone`);
    }
    await page.goto(`${baseUrl}/routing`);
    expect(await page.getByLabel("Routing script", { exact: true }).getAttribute("readonly")).not.toBeNull();

    const crafted = [
      await consoleApi(page, "PUT", "/api/console/settings", { unavailabilityPolicy: "fail_open" }),
      await consoleApi(page, "POST", "/api/console/authorizers", {
        name: "sneaky",
        endpoint: "https://sneaky.example",
        spId: "sp",
        publicKeys: [],
      }),
      await consoleApi(page, "POST", "/api/console/signing-keys"),
    ];
    expect(crafted.map((r) => [r.status, r.body.error])).toEqual([
      [403, "forbidden"],
      [403, "forbidden"],
      [403, "forbidden"],
    ]);
    await context.close();
  });
});
