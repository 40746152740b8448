// A small example SP service for the StepAuth Gateway: it receives the gateway's signed webhook and
// executes each approved action exactly once through lib/client, which verifies the webhook
// (Standard Webhooks), claims the execution before acting and reports the result. The service keeps
// no execution state of its own: a restart, a second instance or a redelivered webhook cannot run
// an action twice, because only the gateway's claim decides. Run it with tsx:
//
//   npx tsx examples/service-webhook/server.ts        (or: npm run example:service)
//
// On start it registers itself as the demo tenant's webhook through the gateway's management API
// (API key from $STEPAUTH_API_KEY or ./.data/demo.json) and keeps the signing secret it is given,
// unless $WEBHOOK_SECRET is set.
import { appendFile, readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import { createClient, isStepAuthClientError, type WebhookEvent } from "../../lib/client";

const port = Number(process.env.PORT ?? 4000);
const gatewayUrl = (process.env.GATEWAY_URL ?? "http://localhost:3000").replace(/\/+$/, "");
const publicUrl = process.env.SERVICE_URL ?? `http://127.0.0.1:${port}/webhook`;
/** The action's side effect, so the demo and the tests can count executions: one line per action run. */
const executionsFile = process.env.EXECUTIONS_FILE;
/** Simulated work: how long the action takes (tests make it outlast the gateway's webhook timeout). */
const executionDelayMs = Number(process.env.EXECUTION_DELAY_MS ?? 0);

async function apiKey(): Promise<string> {
  if (process.env.STEPAUTH_API_KEY) return process.env.STEPAUTH_API_KEY;
  const file = path.join(path.resolve(process.env.DATA_DIR ?? ".data"), "demo.json");
  return (JSON.parse(await readFile(file, "utf8")) as { apiKey: string }).apiKey;
}

/** Registers this service as the tenant's webhook and returns the signing secret the gateway issues. */
async function registerWebhook(key: string): Promise<string> {
  if (process.env.WEBHOOK_SECRET) return process.env.WEBHOOK_SECRET;
  const response = await fetch(`${gatewayUrl}/api/v1/settings`, {
    method: "PUT",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ webhookUrl: publicUrl, rotateWebhookSecret: true }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    webhookSecret?: string;
    error?: string;
    message?: string;
  };
  if (!response.ok || !body.webhookSecret) {
    const hint = /https_required|private_address/.test(body.message ?? "")
      ? "\n  The gateway refuses plain-http and loopback webhooks unless it runs with ALLOW_PRIVATE_NETWORK_URLS=true."
      : "";
    throw new Error(
      `could not register the webhook at ${gatewayUrl}: ${response.status} ${body.error ?? ""} ${body.message ?? ""}${hint}`,
    );
  }
  return body.webhookSecret;
}

/** The action itself: here a log line and a line in EXECUTIONS_FILE. A real service would wipe the laptop. */
async function runAction(event: WebhookEvent): Promise<void> {
  const { requestId, action } = event.data;
  console.log(`executing ${requestId}: ${action.summary ?? action.type}`);
  if (executionDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, executionDelayMs));
  if (executionsFile) await appendFile(executionsFile, `${requestId}\n`);
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function readRawBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const key = await apiKey();
const stepauth = createClient({ baseUrl: gatewayUrl, apiKey: key, webhookSecret: await registerWebhook(key) });

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (req.method === "GET" && url.pathname === "/health") return answer(res, 200, { ok: true });
  if (req.method !== "POST" || url.pathname !== "/webhook")
    return answer(res, 404, { error: "not_found", message: "POST /webhook" });
  try {
    const result = await stepauth.execute({ rawBody: await readRawBody(req), headers: req.headers }, runAction);
    console.log(`${result.requestId}: ${result.status}${"error" in result ? ` (${result.error})` : ""}`);
    return answer(res, 200, result);
  } catch (error) {
    if (isStepAuthClientError(error, "invalid_webhook"))
      return answer(res, 401, { error: "invalid_signature", message: error.message });
    // The action ran but its report could not land: answer the result, which the gateway records too.
    if (isStepAuthClientError(error, "report_failed") && error.result) {
      console.error(error.message);
      return answer(res, 200, { requestId: (error.details as { requestId: string }).requestId, ...error.result });
    }
    // Anything else (the gateway unreachable, a result that could not be reported): a 5xx, so the
    // gateway redelivers; the claim guarantees the action still runs at most once.
    console.error(error);
    return answer(res, 503, {
      error: "service_unavailable",
      message: error instanceof Error ? error.message : String(error),
    });
  }
});
server.listen(port, "127.0.0.1", () => {
  console.log(
    `example service listening on ${publicUrl} (registered with ${gatewayUrl})${executionsFile ? `; executions appended to ${executionsFile}` : ""}`,
  );
});
