import { config } from "@/lib/config/env";

/**
 * How long one webhook call may take: `GATEWAY_WEBHOOK_TIMEOUT_MS` (tests shorten it),
 * 10 s by default and never longer: a delivery's lease (finalize.ts) is sized to outlast one call.
 */
export const MAX_WEBHOOK_TIMEOUT_MS = 10_000;

export function webhookTimeoutMs(): number {
  return Math.min(config().GATEWAY_WEBHOOK_TIMEOUT_MS, MAX_WEBHOOK_TIMEOUT_MS);
}
