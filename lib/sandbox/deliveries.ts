/**
 * Durable delivery of decisions to the SP's callback URL. Each delivery is a row claimed with
 * FOR UPDATE SKIP LOCKED and a lease, so several instances (and a crash mid-flight) never lose
 * one; 5xx, 429 and network failures retry with exponential backoff and full jitter; a 2xx
 * records the SP's execution result on the request; other 4xx answers are final.
 */
import { request as undiciRequest } from "undici";
import type { Database } from "@/db/client";
import type { SandboxDelivery } from "@/db/schema";
import {
  claimDueSandboxDeliveries,
  findDecisionToDeliver,
  recordSandboxDeliveryAttempt,
} from "@/db/queries/system/sandbox-deliveries";
import { checkOutboundUrl, outboundAgent } from "@/lib/net/outbound";
import { callbackResultSchema } from "@/lib/stepauth";
import { expireOverdueSandboxRequests } from "./expiry";

/** Attempts before a delivery is given up (it stays visible, and the SP can still poll). */
export const SANDBOX_DELIVERY_MAX_ATTEMPTS = 10;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;
const ATTEMPT_TIMEOUT_MS = 10_000;
const LEASE_SECONDS = 60;
const MAX_ANSWER_BYTES = 16 * 1024;

type AttemptResult =
  | {
      kind: "delivered";
      statusCode: number;
      execution: { status: "success" | "error" | "accepted"; error: string | null } | null;
    }
  | { kind: "retry" | "final"; statusCode: number | null; error: string };

/** Options for {@link runSandboxDeliveries}. */
export interface SandboxDeliveryOptions {
  /** Deliver only this request's decision (inline, right after a decision). */
  sandboxRequestId?: string;
  /** Most deliveries to attempt in this run. */
  limit?: number;
}

function interpretAnswer(statusCode: number, text: string): AttemptResult {
  if (statusCode >= 200 && statusCode < 300) {
    let parsed: ReturnType<typeof callbackResultSchema.safeParse> | null = null;
    try {
      parsed = callbackResultSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    const execution = parsed?.success
      ? { status: parsed.data.status, error: parsed.data.status === "error" ? parsed.data.error : null }
      : null;
    return { kind: "delivered", statusCode, execution };
  }
  let code = `HTTP ${statusCode}`;
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof body.error === "string")
      code = `${body.error}${typeof body.message === "string" ? `: ${body.message}` : ""}`;
  } catch {
    // not JSON: keep the status line
  }
  return { kind: statusCode >= 500 || statusCode === 429 ? "retry" : "final", statusCode, error: code.slice(0, 2000) };
}

async function attemptDelivery(db: Database, delivery: SandboxDelivery): Promise<AttemptResult> {
  const envelope = await findDecisionToDeliver(db, delivery);
  if (!envelope) return { kind: "final", statusCode: null, error: "the request has no decision to deliver" };
  const problem = checkOutboundUrl(delivery.callbackUrl);
  if (problem) return { kind: "final", statusCode: null, error: `callback URL refused: ${problem}` };
  try {
    const response = await undiciRequest(delivery.callbackUrl, {
      method: "POST",
      dispatcher: outboundAgent(),
      headers: { "content-type": "application/json", "user-agent": "stepauth-sandbox-authorizer" },
      body: JSON.stringify(envelope),
      headersTimeout: ATTEMPT_TIMEOUT_MS,
      bodyTimeout: ATTEMPT_TIMEOUT_MS,
    });
    const text = (await response.body.text()).slice(0, MAX_ANSWER_BYTES);
    return interpretAnswer(response.statusCode, text);
  } catch (error) {
    return { kind: "retry", statusCode: null, error: error instanceof Error ? error.message : String(error) };
  }
}

function backoffMs(attempts: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.max(250, Math.floor(Math.random() * ceiling));
}

async function recordAttempt(db: Database, delivery: SandboxDelivery, result: AttemptResult): Promise<void> {
  if (result.kind === "delivered")
    return recordSandboxDeliveryAttempt(db, delivery, {
      delivered: true,
      statusCode: result.statusCode,
      execution: result.execution,
    });
  const giveUp = result.kind === "final" || delivery.attempts >= SANDBOX_DELIVERY_MAX_ATTEMPTS;
  await recordSandboxDeliveryAttempt(db, delivery, {
    delivered: false,
    statusCode: result.statusCode,
    error: result.error,
    retryInMs: giveUp ? null : backoffMs(delivery.attempts),
  });
}

/**
 * Expires overdue requests, then delivers due decisions to their callback URLs. Call it right
 * after a decision (with `sandboxRequestId`, inline) and from the background worker (without).
 * Returns the number of delivery attempts made.
 *
 * @example
 * ```ts
 * await runSandboxDeliveries(db); // in the worker loop
 * await runSandboxDeliveries(db, { sandboxRequestId: row.id }); // right after a review decided
 * ```
 */
export async function runSandboxDeliveries(db: Database, options: SandboxDeliveryOptions = {}): Promise<number> {
  if (!options.sandboxRequestId) await expireOverdueSandboxRequests(db);
  const claimed = await claimDueSandboxDeliveries(db, {
    sandboxRequestId: options.sandboxRequestId,
    limit: options.limit ?? 16,
    leaseSeconds: LEASE_SECONDS,
  });
  await Promise.all(claimed.map(async (delivery) => recordAttempt(db, delivery, await attemptDelivery(db, delivery))));
  return claimed.length;
}
