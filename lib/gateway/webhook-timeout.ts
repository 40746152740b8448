/**
 * How long one webhook call may take: `GATEWAY_WEBHOOK_TIMEOUT_MS`, read per call (tests shorten it),
 * 10 s by default and never longer: a delivery's lease (finalize.ts) is sized to outlast one call.
 */
export const MAX_WEBHOOK_TIMEOUT_MS = 10_000;

export function webhookTimeoutMs(): number {
  const configured = Number(process.env.GATEWAY_WEBHOOK_TIMEOUT_MS);
  return Number.isInteger(configured) && configured > 0
    ? Math.min(configured, MAX_WEBHOOK_TIMEOUT_MS)
    : MAX_WEBHOOK_TIMEOUT_MS;
}
