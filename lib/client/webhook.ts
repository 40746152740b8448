/**
 * Verifying the gateway's webhooks, per Standard Webhooks: HMAC-SHA256 over
 * `${webhook-id}.${webhook-timestamp}.${body}` with the base64 secret after `whsec_`, any one of the
 * space-separated `v1,` signatures matching (two during a secret rotation), and a timestamp within
 * five minutes of now. Only then is the body parsed, and it must have the webhook's shape.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Action, Principal } from "../stepauth/schemas";
import { StepAuthClientError } from "./errors";

/** Standard Webhooks' tolerance for the sender's clock. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** Headers as Node (`IncomingHttpHeaders`), fetch (`Headers`) or a plain record give them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** What an execute webhook carries so the service can claim the execution before it acts. */
export const executionTicketSchema = z.object({
  claimUrl: z.string().min(1),
  payloadSha256: z.string().regex(/^[0-9a-f]{64}$/),
  windowClosesAt: z.string(),
});

/** The body of the gateway's webhook (`lib/gateway/webhook-delivery.ts` writes it). */
export const webhookEventSchema = z.object({
  type: z.string(),
  timestamp: z.string(),
  data: z
    .object({
      requestId: z.string(),
      externalId: z.string().nullable().optional(),
      status: z.string(),
      execute: z.boolean(),
      failOpen: z.boolean().optional(),
      reason: z.string().nullable().optional(),
      decision: z.unknown().optional(),
      principal: z.custom<Principal>(),
      action: z.custom<Action>(),
      execution: executionTicketSchema.nullable().optional(),
    })
    .loose(),
});

export type WebhookEvent = z.infer<typeof webhookEventSchema>;
export type ExecutionTicket = z.infer<typeof executionTicketSchema>;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value.join(" ") : value;
}

function secretBytes(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
  if (key.length === 0) throw new StepAuthClientError("invalid_webhook", "the webhook secret is empty or not base64");
  return key;
}

/**
 * Checks a Standard Webhooks signature and timestamp only (the body may be anything); throws
 * `invalid_webhook`. Returns the `webhook-id`.
 *
 * @example
 * ```ts
 * verifyWebhookSignature("whsec_…", rawBody, req.headers);
 * ```
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string,
  headers: WebhookHeaders,
  options: { now?: () => number } = {},
): string {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures)
    throw new StepAuthClientError("invalid_webhook", "missing webhook-id, webhook-timestamp or webhook-signature");
  if (!/^\d{1,12}$/.test(timestamp))
    throw new StepAuthClientError("invalid_webhook", "webhook-timestamp is not a Unix time");
  const nowSeconds = Math.floor((options.now?.() ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS)
    throw new StepAuthClientError("invalid_webhook", "webhook-timestamp is too old or too new");
  const expected = createHmac("sha256", secretBytes(secret)).update(`${id}.${timestamp}.${rawBody}`).digest();
  const matches = signatures.split(" ").some((entry) => {
    const [version, signature] = entry.split(",", 2);
    if (version !== "v1" || !signature) return false;
    const given = Buffer.from(signature, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new StepAuthClientError("invalid_webhook", "no webhook-signature matched");
  return id;
}

/**
 * Verifies a webhook and returns its parsed event, or throws `invalid_webhook`. Pass the raw body
 * exactly as received: re-serialised JSON does not verify.
 *
 * @example
 * ```ts
 * const event = verifyWebhook(secret, rawBody, req.headers); // event.data.requestId, event.data.execute
 * ```
 */
export function verifyWebhook(
  secret: string,
  rawBody: string,
  headers: WebhookHeaders,
  options: { now?: () => number } = {},
): WebhookEvent {
  const id = verifyWebhookSignature(secret, rawBody, headers, options);
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new StepAuthClientError("invalid_webhook", "the webhook body is not JSON");
  }
  const parsed = webhookEventSchema.safeParse(body);
  if (!parsed.success)
    throw new StepAuthClientError("invalid_webhook", "the webhook body is not a StepAuth Gateway event", {
      details: parsed.error.issues,
    });
  if (parsed.data.data.requestId !== id)
    throw new StepAuthClientError("invalid_webhook", "webhook-id and the body's requestId differ");
  return parsed.data;
}
