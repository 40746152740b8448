import { Webhook } from "standardwebhooks";
import { request as undiciRequest } from "undici";
import { checkOutboundUrl, outboundAgent } from "@/lib/net/outbound";

export interface SignedWebhookResult {
  ok: boolean;
  statusCode: number | null;
  /** The start of the service's answer (at most `maxBytes`). */
  text: string;
  latencyMs: number;
  error?: string;
}

/**
 * POSTs `body` to a service webhook signed per Standard Webhooks (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`), through the SSRF-guarded keep-alive agent, without
 * following redirects. Never throws: network failures and non-2xx answers come back as `ok: false`.
 * During a secret rotation's grace period `previousSecret` adds a second, space-separated
 * signature, which Standard Webhooks verifiers accept when either one matches.
 */
export async function postSignedWebhook(
  target: { url: string; secret: string; previousSecret?: string },
  messageId: string,
  body: string,
  options: { timeoutMs: number; maxBytes: number },
): Promise<SignedWebhookResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const problem = checkOutboundUrl(target.url);
  if (problem)
    return { ok: false, statusCode: null, text: "", latencyMs: 0, error: `webhook URL not allowed: ${problem}` };
  const timestamp = new Date();
  const secrets = target.previousSecret ? [target.secret, target.previousSecret] : [target.secret];
  const signature = secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body)).join(" ");
  try {
    const response = await undiciRequest(target.url, {
      method: "POST",
      dispatcher: outboundAgent(),
      headers: {
        "content-type": "application/json",
        "webhook-id": messageId,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    let text = "";
    for await (const chunk of response.body) {
      text += chunk.toString();
      if (text.length > options.maxBytes) {
        response.body.destroy();
        break;
      }
    }
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return {
      ok,
      statusCode: response.statusCode,
      text: text.slice(0, options.maxBytes),
      latencyMs: elapsed(),
      ...(ok ? {} : { error: `HTTP ${response.statusCode}` }),
    };
  } catch (error) {
    return {
      ok: false,
      statusCode: null,
      text: "",
      latencyMs: elapsed(),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
