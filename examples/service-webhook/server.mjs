// A tiny example SP service for the StepAuth Gateway demo: it receives the gateway's signed
// webhook, verifies it (Standard Webhooks), "executes" each approved action exactly once, and
// answers the result, which the gateway relays to the authorizer. Plain Node, no build:
//
//   node examples/service-webhook/server.mjs
//
// On start it registers itself as the demo tenant's webhook through the gateway's management API
// (API key from $STEPAUTH_API_KEY or ./.data/demo.json) and keeps the signing secret it is given.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { Webhook } from "standardwebhooks";

const port = Number(process.env.PORT ?? 4000);
const gatewayUrl = (process.env.GATEWAY_URL ?? "http://localhost:3000").replace(/\/+$/, "");
const publicUrl = process.env.SERVICE_URL ?? `http://127.0.0.1:${port}/webhook`;

/** Executions by requestId (the webhook-id): the idempotency key, so a repeat executes nothing. */
const executions = new Map();

function apiKey() {
  if (process.env.STEPAUTH_API_KEY) return process.env.STEPAUTH_API_KEY;
  const file = path.join(path.resolve(process.env.DATA_DIR ?? ".data"), "demo.json");
  return JSON.parse(readFileSync(file, "utf8")).apiKey;
}

async function registerWebhook() {
  if (process.env.WEBHOOK_SECRET) return process.env.WEBHOOK_SECRET;
  const response = await fetch(`${gatewayUrl}/api/v1/settings`, {
    method: "PUT",
    headers: { authorization: `Bearer ${apiKey()}`, "content-type": "application/json" },
    body: JSON.stringify({ webhookUrl: publicUrl, rotateWebhookSecret: true }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.webhookSecret) {
    const hint = body.message?.includes("https_required") || body.message?.includes("private_address")
      ? "\n  The gateway refuses plain-http and loopback webhooks unless it runs with ALLOW_PRIVATE_NETWORK_URLS=true."
      : "";
    throw new Error(`could not register the webhook at ${gatewayUrl}: ${response.status} ${body.error ?? ""} ${body.message ?? ""}${hint}`);
  }
  return body.webhookSecret;
}

/** The "execution": here, a log line. A real service would wipe the laptop or send the wire. */
function execute(data) {
  console.log(`executing ${data.requestId}: ${data.action?.summary ?? data.action?.type}`);
  return { status: "success" };
}

function answer(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function handleWebhook(verifier, raw, headers, res) {
  let event;
  try {
    event = verifier.verify(raw, headers);
  } catch {
    return answer(res, 401, { error: "invalid_signature", message: "webhook signature did not verify" });
  }
  const data = event.data ?? {};
  const requestId = String(headers["webhook-id"]);
  if (!data.execute) {
    console.log(`${requestId} ${data.status}: nothing to execute`);
    return answer(res, 200, { requestId, status: "success" });
  }
  if (!executions.has(requestId)) {
    executions.set(requestId, { requestId, actionType: data.action?.type, summary: data.action?.summary, reviewers: data.decision?.reviewers ?? null, result: execute(data), at: new Date().toISOString() });
  }
  return answer(res, 200, { requestId, ...executions.get(requestId).result });
}

const secret = await registerWebhook();
const verifier = new Webhook(secret);
const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (req.method === "GET" && url.pathname === "/executions") return answer(res, 200, { executions: [...executions.values()] });
  if (req.method === "GET" && url.pathname === "/health") return answer(res, 200, { ok: true });
  if (req.method !== "POST" || url.pathname !== "/webhook") return answer(res, 404, { error: "not_found", message: "POST /webhook" });
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return handleWebhook(verifier, Buffer.concat(chunks).toString("utf8"), req.headers, res);
});
server.listen(port, "127.0.0.1", () => {
  console.log(`example service listening on ${publicUrl} (registered with ${gatewayUrl}); executions at http://127.0.0.1:${port}/executions`);
});
