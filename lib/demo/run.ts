/**
 * `npm run demo`: against a running `npm run dev`, submits the overview's four actions through
 * the gateway's public API with the demo API key, and shows which the sandbox's policy decided
 * at once and which wait for a reviewer in the inbox. `--only wipe,wire` picks actions; `--json`
 * prints one machine-readable line instead of the table.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "@/lib/config/data-dir";
import { DEMO_ACTIONS, type DemoAction } from "./actions";
import { config } from "@/lib/config/env";

interface DemoResult {
  name: DemoAction["name"];
  title: string;
  requestId: string | null;
  status: string;
  decidedBy: "policy" | "inbox" | "error";
  link: string | null;
  error?: string;
}

function settings() {
  const args = process.argv.slice(2);
  const only =
    args.find((a) => a.startsWith("--only"))?.split("=")[1] ??
    (args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined);
  const baseUrl = (config().GATEWAY_URL ?? `http://localhost:${config().PORT}`).replace(/\/+$/, "");
  let apiKey = config().STEPAUTH_API_KEY;
  if (!apiKey) {
    const file = path.join(dataDir(), "demo.json");
    try {
      apiKey = (JSON.parse(readFileSync(file, "utf8")) as { apiKey: string }).apiKey;
    } catch {
      throw new Error(
        `No demo API key: ${file} is missing. Start the gateway once with \`npm run dev\` (it seeds the demo tenant), or set STEPAUTH_API_KEY.`,
      );
    }
  }
  const names = only ? only.split(",") : DEMO_ACTIONS.map((a) => a.name);
  return {
    baseUrl,
    apiKey,
    json: args.includes("--json"),
    actions: DEMO_ACTIONS.filter((a) => names.includes(a.name)),
  };
}

async function submit(baseUrl: string, apiKey: string, action: DemoAction): Promise<DemoResult> {
  const response = await fetch(`${baseUrl}/api/v1/authorization-requests`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(action.body),
  });
  const body = (await response.json().catch(() => ({}))) as {
    requestId?: string;
    status?: string;
    error?: string;
    message?: string;
  };
  if (!response.ok || !body.requestId) {
    return {
      name: action.name,
      title: action.title,
      requestId: null,
      status: `HTTP ${response.status}`,
      decidedBy: "error",
      link: null,
      error: `${body.error ?? ""} ${body.message ?? ""}`.trim(),
    };
  }
  const status = body.status ?? "unknown";
  return {
    name: action.name,
    title: action.title,
    requestId: body.requestId,
    status,
    decidedBy: status === "pending" ? "inbox" : "policy",
    link: `${baseUrl}/requests/${body.requestId}`,
  };
}

function printTable(baseUrl: string, results: DemoResult[]): void {
  console.log(`\nStepAuth demo against ${baseUrl}\n`);
  for (const r of results) {
    console.log(
      `  ${r.title.padEnd(28)} ${r.status.padEnd(9)} ${r.decidedBy === "policy" ? "decided by policy" : r.decidedBy === "inbox" ? "waits in the inbox" : r.error}`,
    );
    if (r.link) console.log(`  ${"".padEnd(28)} ${r.link}`);
  }
  const waiting = results.filter((r) => r.decidedBy === "inbox").length;
  if (waiting > 0)
    console.log(
      `\n${waiting} request(s) wait for a reviewer: open ${baseUrl}/sandbox (sign in with the demo login in .data/demo.json).`,
    );
  console.log("Start `npm run example:service` first to see approved actions executed once.");
  if (results.some((r) => r.error?.includes("callback URL") || r.error?.includes("publicBaseUrl"))) {
    console.log(
      "\nThe gateway refuses plain-http loopback URLs unless it runs with ALLOW_PRIVATE_NETWORK_URLS=true (development only).",
    );
  }
}

async function main(): Promise<void> {
  const { baseUrl, apiKey, json, actions } = settings();
  try {
    await fetch(`${baseUrl}/login`, { method: "HEAD" });
  } catch {
    throw new Error(`Nothing answers at ${baseUrl}: start the gateway with \`npm run dev\` first.`);
  }
  const results: DemoResult[] = [];
  for (const action of actions) results.push(await submit(baseUrl, apiKey, action));
  if (json) console.log(JSON.stringify({ baseUrl, results }));
  else printTable(baseUrl, results);
  if (results.some((r) => r.decidedBy === "error")) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
