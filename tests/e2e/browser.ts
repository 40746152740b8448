import { mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

export const artifactsDir = "test-results/e2e";

/** Debian's Chromium with the flags this closed network needs (no background calls home). */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(artifactsDir, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * One Chromium per test file, launched before its tests and closed after them:
 * `const browser = browserForFile();` at the top of the file, then `browser.newPage()` in a test.
 */
export function browserForFile(): Pick<Browser, "newPage" | "newContext"> {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());
  const current = () => {
    if (!browser) throw new Error("the browser is launched in beforeAll: use it inside a test");
    return browser;
  };
  return { newPage: (options) => current().newPage(options), newContext: (options) => current().newContext(options) };
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/login/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${artifactsDir}/${name}.png`, fullPage: true });
}

/** Calls a console API route from inside the signed-in page (its cookie, its origin), as the UI would. */
export async function consoleApi(
  page: Page,
  method: string,
  path: string,
  json?: unknown,
): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ({ method, path, json }) => {
      const response = await fetch(path, {
        method,
        headers: json === undefined ? {} : { "content-type": "application/json" },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    { method, path, json },
  );
}

/** Submits an authorization request through the public API with an SP's API key. */
export async function submitThroughApi(
  baseUrl: string,
  apiKey: string,
  body: { principal: unknown; action: unknown; externalId?: string },
) {
  const response = await fetch(`${baseUrl}/api/v1/authorization-requests`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/**
 * Leaves the shared demo tenant as other test files expect it: no routing script, and the named
 * authorizers gone (the default handed back to one that stays, when there is one).
 */
export async function removeAuthorizers(page: Page, names: string[]): Promise<void> {
  await consoleApi(page, "PUT", "/api/console/settings", { routingScript: null });
  const { body } = await consoleApi(page, "GET", "/api/console/authorizers");
  const keep = (body.data as { name: string; enabled: boolean }[]).find((a) => !names.includes(a.name) && a.enabled);
  if (keep) await consoleApi(page, "PATCH", `/api/console/authorizers/${keep.name}`, { isDefault: true });
  for (const name of names) await consoleApi(page, "DELETE", `/api/console/authorizers/${name}`);
}

/** Opens an invitation link as a new person, sets their own name and password, and lands in the console. */
export async function acceptInvitationAsNewPerson(
  page: Page,
  inviteUrl: string,
  name: string,
  password: string,
): Promise<void> {
  await page.goto(inviteUrl);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account and join" }).click();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
}
