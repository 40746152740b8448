import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { request as undiciRequest } from "undici";
import type { Database } from "@/db/client";
import { recordAuditEvent } from "@/db/queries/audit";
import { loadWebhookTarget } from "@/db/queries/tenant-settings";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { checkOutboundUrl, outboundAgent } from "@/lib/gateway/outbound";

const TEST_TIMEOUT_MS = 10_000;
const MAX_EXCERPT = 500;

export interface WebhookTestResult {
  messageId: string;
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt?: string;
  error?: string;
}

/**
 * Posts a `stepauth.test` event to the service webhook, signed per Standard Webhooks like real
 * deliveries, so an admin can check the URL and the secret. `execute` is false: nothing may run.
 */
export async function sendWebhookTestEvent(db: Database, ctx: TenantContext): Promise<WebhookTestResult> {
  const target = await loadWebhookTarget(db, ctx);
  if (!target) throw new AppError("conflict", "There is no service webhook yet: set its URL first");
  const problem = checkOutboundUrl(target.url);
  if (problem) throw new AppError("validation_failed", `The webhook URL is not allowed: ${problem}`);
  const messageId = `msg_test_${randomUUID()}`;
  const timestamp = new Date();
  const body = JSON.stringify({ type: "stepauth.test", timestamp: timestamp.toISOString(), data: { execute: false, message: "Test event from the StepAuth Gateway console" } });
  const signature = new Webhook(target.secret).sign(messageId, timestamp, body);
  const started = performance.now();
  let result: WebhookTestResult;
  try {
    const response = await undiciRequest(target.url, {
      method: "POST",
      dispatcher: outboundAgent(),
      headers: { "content-type": "application/json", "webhook-id": messageId, "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)), "webhook-signature": signature },
      body,
      signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
    });
    const text = (await response.body.text()).slice(0, MAX_EXCERPT);
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    result = { messageId, ok, statusCode: response.statusCode, latencyMs: Math.round(performance.now() - started), responseExcerpt: text, ...(ok ? {} : { error: `HTTP ${response.statusCode}` }) };
  } catch (error) {
    result = { messageId, ok: false, statusCode: null, latencyMs: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
  }
  await recordAuditEvent(db, ctx, { action: "settings.webhook_test_sent", data: { messageId, ok: result.ok, statusCode: result.statusCode } });
  return result;
}
