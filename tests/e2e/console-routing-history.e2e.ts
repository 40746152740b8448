import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { consoleApi, browserForFile, screenshot, signIn } from "./browser";

// Issue 18, item 5: the routing editor explains itself, guards unsaved edits, tests every sample
// at once, and keeps saved versions with who/when, a diff and restore.
const baseUrl = inject("baseUrl");
const demo = inject("demo");
const browser = browserForFile();

const editor = (page: Page) => page.getByLabel("Routing script", { exact: true });

async function typeScript(page: Page, script: string) {
  await editor(page).fill(script);
  await page.getByText("Valid script.").waitFor();
}

describe("console: the routing editor", () => {
  it("explains the semantics and fields, guards unsaved edits, tests all samples, and restores a saved version", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, baseUrl, demo.email, demo.password);
    await consoleApi(page, "PUT", "/api/console/settings", { routingScript: null });
    const authorizers = (await consoleApi(page, "GET", "/api/console/authorizers")).body.data as {
      name: string;
      isDefault: boolean;
    }[];
    const target = authorizers.find((a) => a.isDefault)!.name;
    await page.goto(`${baseUrl}/routing`);
    await page.getByRole("heading", { name: "Routing", level: 1 }).waitFor();

    // What a list means, and the fields of request and config (from the schemas).
    await page.getByText("first decision wins", { exact: false }).first().waitFor();
    const fields = page.getByRole("table", { name: "Fields of request and config" });
    for (const path of [
      "request.action.details.<key>",
      "request.principal.operator",
      "config.authorizers",
      "config.default",
    ]) {
      expect(await fields.getByRole("cell", { name: path, exact: true }).count(), path).toBe(1);
    }

    // Two saves make two versions.
    const first = `["${target}"]`;
    const second = `request.action.category == "financial.transfer"\n  ? ["$deny"]\n  : ["${target}"]`;
    await typeScript(page, first);
    await page.getByRole("button", { name: "Save script" }).click();
    await page.getByText("Saved. New requests are routed with this script.").waitFor();
    await typeScript(page, second);
    await page.getByRole("button", { name: "Save script" }).click();
    await page.getByText("Saved. New requests are routed with this script.").waitFor();
    const versions = page.getByRole("list", { name: "Routing script versions" });
    await versions.getByRole("listitem").nth(1).waitFor();
    expect(await versions.getByRole("listitem").filter({ hasText: "Alex Owner" }).count()).toBeGreaterThanOrEqual(2);

    // Every sample at once: the wire is denied by the script, the others go to the default.
    await page.getByRole("button", { name: "Test against all samples" }).click();
    const table = page.getByRole("table", { name: "Routing of every sample" });
    await table.waitFor();
    expect(await table.getByRole("row").count()).toBe(5);
    expect(await table.getByRole("row", { name: /SWIFT wire/ }).textContent()).toContain("decided at once: denied");
    expect(await table.getByRole("row", { name: /MacBook wipe/ }).textContent()).toContain(target);
    await screenshot(page, "routing-history-all-samples-1440");

    // Unsaved edits: leaving through the console's navigation asks first; staying keeps them.
    await editor(page).fill(`${second}\n// draft`);
    await page.getByTestId("routing-unsaved").waitFor();
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Keys", exact: true }).click();
    const leave = page.getByRole("dialog", { name: "Leave without saving the routing script?" });
    await leave.waitFor();
    await screenshot(page, "routing-history-leave-guard-1440");
    await leave.getByRole("button", { name: "Cancel" }).click();
    expect(page.url()).toBe(`${baseUrl}/routing`);
    expect(await editor(page).inputValue()).toContain("// draft");

    // A reload asks the browser's own question; dismissing it keeps the edits.
    const question = page.waitForEvent("dialog");
    void page.reload().catch(() => undefined);
    const dialog = await question;
    expect(dialog.type()).toBe("beforeunload");
    await dialog.dismiss();
    expect(await editor(page).inputValue()).toContain("// draft");

    // Compare the first version with the current script, then restore it (confirmed).
    await editor(page).fill(second);
    const saved = (await consoleApi(page, "GET", "/api/console/routing/versions")).body.data as {
      script: string | null;
    }[];
    const firstVersion = saved.length - saved.findIndex((v) => v.script === first);
    await page.getByRole("button", { name: `Compare version ${firstVersion}` }).click();
    const diff = page.getByTestId("routing-version-diff");
    await diff.waitFor();
    expect(await diff.textContent()).toContain('["$deny"]');
    await page.getByRole("button", { name: "Restore this version" }).click();
    const confirm = page.getByRole("dialog", { name: "Restore this version of the routing script?" });
    await confirm.waitFor();
    await screenshot(page, "routing-history-restore-confirm-1440");
    await confirm.getByRole("button", { name: "Restore version" }).click();
    await page.getByText("Restored. New requests are routed with this version").waitFor();
    expect((await consoleApi(page, "GET", "/api/console/settings")).body.routingScript).toBe(first);
    expect(await editor(page).inputValue()).toBe(first);
    await versions.getByRole("listitem").nth(saved.length).waitFor();
    await screenshot(page, "routing-history-restored-1440");

    // The same page on a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByRole("heading", { name: "Routing", level: 1 }).waitFor();
    await screenshot(page, "routing-history-390");
    await consoleApi(page, "PUT", "/api/console/settings", { routingScript: null });
    await context.close();
  });
});
