import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { browserForFile, screenshot, signIn } from "./browser";

// The whole loop in a browser: `npm run demo` submits the MacBook wipe through the gateway's API,
// the sandbox's policy leaves it to a human, the demo owner approves it in /sandbox, the decision
// is signed and called back to the gateway, which executes it once through the example service.
const baseUrl = inject("baseUrl");
const demo = inject("demo");
const browser = browserForFile();
let service: ChildProcess | undefined;
let serviceUrl = "";
const executionsFile = path.join(mkdtempSync(path.join(tmpdir(), "e2e-service-")), "executions.log");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** The example service keeps no state: each action it runs appends its requestId to EXECUTIONS_FILE. */
function executions(): { requestId: string }[] {
  if (!existsSync(executionsFile)) return [];
  return readFileSync(executionsFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((requestId) => ({ requestId }));
}

beforeAll(async () => {
  const port = await freePort();
  serviceUrl = `http://127.0.0.1:${port}`;
  service = spawn(process.execPath, ["--import", "tsx", "examples/service-webhook/server.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      GATEWAY_URL: baseUrl,
      STEPAUTH_API_KEY: demo.apiKey,
      EXECUTIONS_FILE: executionsFile,
    },
    stdio: "pipe",
  });
  let output = "";
  service.stdout?.on("data", (c) => (output += c));
  service.stderr?.on("data", (c) => (output += c));
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${serviceUrl}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || service.exitCode !== null) {
      throw new Error(
        `the example service did not start (the e2e server needs ALLOW_PRIVATE_NETWORK_URLS=true for loopback webhooks and authorizers):\n${output}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
});
afterAll(async () => {
  service?.kill("SIGTERM");
});

describe("the StepAuth loop through the sandbox authorizer", () => {
  it("demo submits the wipe; a reviewer approves it in the inbox; the service executes it once; the gateway shows approved → executed", async () => {
    const demoRun = spawnSync("npx", ["tsx", "lib/demo/run.ts", "--only", "wipe", "--json"], {
      env: { ...process.env, GATEWAY_URL: baseUrl, STEPAUTH_API_KEY: demo.apiKey },
      encoding: "utf8",
    });
    expect(demoRun.status, demoRun.stderr + demoRun.stdout).toBe(0);
    const [wipe] = JSON.parse(demoRun.stdout.trim().split("\n").at(-1)!).results;
    expect(wipe).toMatchObject({ name: "wipe", status: "pending", decidedBy: "inbox" });
    expect(wipe.link).toBe(`${baseUrl}/requests/${wipe.requestId}`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, baseUrl, demo.email, demo.password);
    await page.goto(`${baseUrl}/sandbox`);
    await page.getByRole("heading", { name: "Reviewer inbox" }).waitFor();
    const card = page.getByRole("article").filter({ hasText: wipe.requestId });
    await card
      .getByRole("heading", { name: /MacBook Pro 16", serial C02ZX1ABCDEF\) will be remotely wiped/ })
      .waitFor();
    expect(await card.getByText("Marc Tremblay").isVisible()).toBe(true);
    expect(await card.getByRole("row", { name: /Serial C02ZX1ABCDEF/ }).isVisible()).toBe(true);
    await screenshot(page, "sandbox-inbox");

    await card.getByLabel("Reason").fill("Offboarding ticket HR-2231 verified");
    await card.getByRole("button", { name: "Approve" }).click();
    await page.getByRole("status").filter({ hasText: "Approved — the decision was signed and sent." }).waitFor();
    expect(executions().filter((e) => e.requestId === wipe.requestId)).toHaveLength(1);

    await page.getByRole("tab", { name: "Decided" }).click();
    await page.getByRole("article").filter({ hasText: wipe.requestId }).getByText("execution succeeded").waitFor();
    await screenshot(page, "sandbox-inbox-decided");

    await page.goto(wipe.link);
    await page.getByText("approved").first().waitFor();
    await page.getByText("Alex Owner").first().waitFor();
    await page.getByText("succeeded").first().waitFor();
    await screenshot(page, "sandbox-gateway-request");
    // A second look changes nothing: still exactly one execution.
    expect(executions().filter((e) => e.requestId === wipe.requestId)).toHaveLength(1);
    await page.close();
  });

  it("shows the sandbox's ordered policy rules, with the wire's quorum", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, baseUrl, demo.email, demo.password);
    await page.goto(`${baseUrl}/sandbox`);
    await page.getByRole("link", { name: "Policy rules" }).click();
    await page.getByRole("heading", { name: "Sandbox policy" }).waitFor();
    await page.getByText("Wires of 1,000,000 or more need two reviewers").waitFor();
    await page.getByText("review · 2 reviewers").first().waitFor();
    expect(await page.getByRole("button", { name: "Edit rules" }).count()).toBeGreaterThan(0);
    await screenshot(page, "sandbox-policy");
    await page.close();
  });
});
