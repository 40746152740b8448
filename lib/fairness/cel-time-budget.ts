/**
 * A per-tenant allowance of CEL time on this instance. A costly script (comprehensions, `matches`)
 * runs synchronously for up to its 50 ms budget, stalling every other request of the process for
 * that long; so a tenant may spend at most `TENANT_CEL_MS_PER_SECOND` of it per second (time as the
 * event loop sees it, compiling included). A request whose tenant is in debt waits for the allowance
 * to refill (holding its fair-share slot, so the tenant's other requests queue behind it at no
 * cost); one that would wait longer than `MAX_WAIT_MS` is refused with `429 rate_limited`.
 */
import { AppError } from "@/lib/errors/app-error";
import { config } from "@/lib/config/env";

/** Longest a request waits for its tenant's CEL allowance before it is refused. */
const MAX_WAIT_MS = 30_000;

/** `TENANT_CEL_MS_PER_SECOND` (20): CEL milliseconds a tenant may spend per second, per instance. */
export function celMsPerSecond(): number {
  return config().TENANT_CEL_MS_PER_SECOND;
}

/** Per key: milliseconds available at `at`; negative is debt (time spent ahead, or reserved by waiters). */
const allowances = new Map<string, { ms: number; at: number }>();

/**
 * Waits until `key` has no CEL debt, then returns the function to call with the time actually spent.
 * A tenant starts with one `budgetMs` to spend; whoever finds debt reserves one budget while waiting
 * (so waiters run one budget apart, never all at once) and gets back what it did not spend.
 *
 * @example
 * ```ts
 * const spent = await spendCelTime(`routing:${ctx.tenantId}`, 50);
 * const started = performance.now();
 * try { evaluate(); } finally { spent(performance.now() - started); }
 * ```
 */
export async function spendCelTime(
  key: string,
  budgetMs: number,
  perSecond = celMsPerSecond(),
): Promise<(spentMs: number) => void> {
  const now = performance.now();
  const allowance = allowances.get(key) ?? { ms: budgetMs, at: now };
  allowance.ms = Math.min(budgetMs, allowance.ms + ((now - allowance.at) / 1000) * perSecond);
  allowance.at = now;
  allowances.set(key, allowance);
  if (allowances.size > 100_000) allowances.clear();
  let reserved = 0;
  if (allowance.ms < 0) {
    const waitMs = (-allowance.ms / perSecond) * 1000;
    if (waitMs > MAX_WAIT_MS) {
      throw new AppError(
        "rate_limited",
        "This tenant's routing and policy scripts used up their CEL time; try again shortly",
        {
          retryAfter: Math.ceil(waitMs / 1000),
        },
      );
    }
    reserved = budgetMs;
    allowance.ms -= reserved;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  let settled = false;
  return (spentMs) => {
    if (settled) return;
    settled = true;
    allowance.ms += reserved - spentMs;
  };
}
