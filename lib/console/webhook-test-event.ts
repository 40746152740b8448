import { randomUUID } from "node:crypto";
import type { Database } from "@/db/client";
import { recordAuditEvent } from "@/db/queries/audit";
import { loadWebhookTarget } from "@/db/queries/tenant-settings";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { postSignedWebhook } from "@/lib/gateway/signed-webhook";

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
  const messageId = `msg_test_${randomUUID()}`;
  const body = JSON.stringify({
    type: "stepauth.test",
    timestamp: new Date().toISOString(),
    data: { execute: false, message: "Test event from the StepAuth Gateway console" },
  });
  const posted = await postSignedWebhook(target, messageId, body, {
    timeoutMs: TEST_TIMEOUT_MS,
    maxBytes: MAX_EXCERPT,
  });
  const result: WebhookTestResult = {
    messageId,
    ok: posted.ok,
    statusCode: posted.statusCode,
    latencyMs: posted.latencyMs,
    ...(posted.statusCode !== null ? { responseExcerpt: posted.text } : {}),
    ...(posted.error ? { error: posted.error } : {}),
  };
  await recordAuditEvent(db, ctx, {
    action: "settings.webhook_test_sent",
    data: { messageId, ok: result.ok, statusCode: result.statusCode },
  });
  return result;
}
