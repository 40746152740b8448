import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { acceptInvitationAsNewPerson, consoleApi, browserForFile, screenshot, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const demo = inject("demo");
const browser = browserForFile();
let owner: Page;

beforeAll(async () => {
  owner = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signIn(owner, baseUrl, demo.email, demo.password);
});
afterAll(async () => {
  if (owner)
    await consoleApi(owner, "PUT", "/api/console/settings", {
      routingScript: null,
      unavailabilityPolicy: "fail_closed",
    });
});

describe("console: the configuration audit log", () => {
  it("shows who changed the routing script (with a diff) and fail-open, keeps a removed member's changes under their name, filters and exports", async () => {
    // A new admin joins by invitation and changes the routing script twice and the unavailability policy.
    const email = `ada-${Date.now()}@acme.example`;
    const invited = await consoleApi(owner, "POST", "/api/console/members", { email, role: "admin" });
    expect(invited.status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const ada = await context.newPage();
    await acceptInvitationAsNewPerson(ada, invited.body.inviteUrl, "Ada Auditor", "ada-password-12345");
    const authorizer = (await consoleApi(ada, "GET", "/api/console/authorizers")).body.data[0].name as string;
    expect((await consoleApi(ada, "PUT", "/api/console/settings", { routingScript: `["${authorizer}"]` })).status).toBe(
      200,
    );
    const second = `request.action.category == "infra.destroy"\n  ? ["${authorizer}"]\n  : ["${authorizer}"]`;
    expect((await consoleApi(ada, "PUT", "/api/console/settings", { routingScript: second })).status).toBe(200);
    expect((await consoleApi(ada, "PUT", "/api/console/settings", { unavailabilityPolicy: "fail_open" })).status).toBe(
      200,
    );
    await context.close();

    // The owner removes her; the dialog says where her changes stay, and links there.
    await owner
      .getByRole("navigation", { name: "Console" })
      .getByRole("link", { name: "Members", exact: true })
      .click();
    await owner.getByRole("button", { name: "Remove Ada Auditor" }).click();
    const dialog = owner.getByRole("dialog");
    const auditLink = dialog.getByRole("link", { name: "audit log" });
    expect(await auditLink.getAttribute("href")).toBe(`/audit?actor=${encodeURIComponent(email)}`);
    await screenshot(owner, "audit-member-removal-dialog");
    await dialog.getByRole("button", { name: "Remove member" }).click();
    await owner.getByRole("button", { name: "Remove Ada Auditor" }).waitFor({ state: "detached" });

    // The audit log, from the nav: her routing change shows as a diff, under her name and e-mail.
    await owner.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit log" }).click();
    await owner.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
    await owner.getByLabel("What changed").selectOption("routing");
    await owner.getByRole("button", { name: "Apply filters" }).click();
    await owner.waitForURL(/kind=routing/);
    const events = owner.getByRole("list", { name: "Audit events" });
    await events.getByText("Ada Auditor").first().waitFor();
    const latest = events.getByRole("listitem").first();
    expect(await latest.getByText(email).count()).toBe(1);
    expect(await latest.getByText("no longer a member").count()).toBe(1);
    const diff = latest.getByLabel("Routing script diff");
    // Each changed line is marked for the eye (+/-) and for screen readers (added:/removed:).
    expect(await diff.textContent()).toContain(`-removed: ["${authorizer}"]`);
    expect(await diff.textContent()).toContain('+added: request.action.category == "infra.destroy"');
    await screenshot(owner, "audit-log-desktop");

    // Filtered by who: only her events (joining, two scripts, fail-open); fail-open shows before → after.
    await owner.goto(`${baseUrl}/audit?actor=${encodeURIComponent(email)}`);
    await events.getByRole("listitem").first().waitFor();
    expect(await events.locator(":scope > li").count()).toBe(4);
    expect(await events.getByText("fail_closed → fail_open").count()).toBe(1);

    // Exports carry the same filters; CSV and JSON Lines.
    const csv = await owner.evaluate(
      async (href) => (await fetch(href)).text(),
      `/api/console/audit-events/export?format=csv&actor=${encodeURIComponent(email)}`,
    );
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("createdAt,action,actorName,actorEmail,actor,stillMember,target,data");
    expect(lines).toHaveLength(5);
    expect(lines.slice(1).every((line) => line.includes(`"${email}"`) && line.includes('"false"'))).toBe(true);
    const exportLink = owner.getByRole("link", { name: "Export JSON Lines" });
    expect(await exportLink.getAttribute("href")).toContain(`actor=${encodeURIComponent(email)}`);

    // Phone width: the same screen, stacked.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      storageState: await owner.context().storageState(),
    });
    const small = await phone.newPage();
    await small.goto(`${baseUrl}/audit?kind=routing`);
    await small.getByRole("list", { name: "Audit events" }).getByText("Ada Auditor").first().waitFor();
    await screenshot(small, "audit-log-mobile");
    await phone.close();
  });
});
