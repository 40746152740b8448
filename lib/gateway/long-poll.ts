/**
 * Long-polls (`GET …/{requestId}?wait=N`) that cannot crowd out other tenants: each is admitted
 * under a cap per API key and per tenant (beyond it, `429 rate_limited` with `Retry-After`), and
 * while they wait they hold no database connection: one shared ticker per process reads, in one
 * short query, which of all awaited requests have left `pending`, and wakes their waiters.
 */
import type { Database } from "@/db/client";
import { listSettledRequestIds } from "@/db/queries/system/long-poll";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { config } from "@/lib/config/env";

/** How often the shared ticker looks for settled requests. */
const TICK_MS = 250;
/** Most request ids per status query. */
const IDS_PER_QUERY = 500;
/** What a refused long-poll is told to wait before trying again, in seconds (waits last up to 30 s). */
const RETRY_AFTER_SECONDS = 5;

/** Concurrent long-polls allowed per API key and per tenant, on this instance. */
export interface LongPollLimits {
  perApiKey: number;
  perTenant: number;
}

/** `LONG_POLL_MAX_PER_API_KEY` (20) and `LONG_POLL_MAX_PER_TENANT` (50). */
export function longPollLimits(): LongPollLimits {
  return { perApiKey: config().LONG_POLL_MAX_PER_API_KEY, perTenant: config().LONG_POLL_MAX_PER_TENANT };
}

const active = new Map<string, number>();

/**
 * Admits one long-poll for `ctx` or throws `rate_limited` (429, `Retry-After`) when its API key or
 * its tenant already has as many as allowed. Call the returned function exactly when it ends.
 */
export function admitLongPoll(ctx: TenantContext, limits: LongPollLimits = longPollLimits()): () => void {
  const counters: [string, number][] = [[`tenant:${ctx.tenantId}`, limits.perTenant]];
  if (ctx.actor.type === "api_key") counters.push([`key:${ctx.actor.apiKeyId}`, limits.perApiKey]);
  for (const [key, limit] of counters) {
    if ((active.get(key) ?? 0) >= limit) {
      throw new AppError(
        "rate_limited",
        `Too many concurrent long-polls (at most ${limit} per ${key.split(":")[0] === "key" ? "API key" : "tenant"})`,
        { retryAfter: RETRY_AFTER_SECONDS },
      );
    }
  }
  for (const [key] of counters) active.set(key, (active.get(key) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const [key] of counters) {
      const left = (active.get(key) ?? 1) - 1;
      if (left <= 0) active.delete(key);
      else active.set(key, left);
    }
  };
}

/**
 * {@link admitLongPoll}, but a refusal is answered only after holding it for as long as the caller
 * asked to wait (at most `Retry-After`), at no cost but a socket: a client that ignores
 * `Retry-After` and retries at once would otherwise turn refusals into a flood of their own.
 */
export async function admitLongPollOrHold(
  ctx: TenantContext,
  waitSeconds: number,
  signal: AbortSignal,
): Promise<() => void> {
  try {
    return admitLongPoll(ctx);
  } catch (error) {
    const holdMs = Math.min(waitSeconds, RETRY_AFTER_SECONDS) * 1000;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, holdMs);
      signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
    throw error;
  }
}

interface Waiter {
  tenantId: string;
  requestId: string;
  wake: () => void;
}

const waiters = new Set<Waiter>();
let tickerDb: Database | null = null;
/** Whether a tick is scheduled or running (one at a time per process). */
let ticking = false;

async function tick(): Promise<void> {
  const db = tickerDb;
  if (waiters.size === 0 || db === null) {
    ticking = false;
    return;
  }
  const all = [...waiters];
  for (let i = 0; i < all.length; i += IDS_PER_QUERY) {
    const batch = all.slice(i, i + IDS_PER_QUERY);
    try {
      const settled = await listSettledRequestIds(db, batch);
      for (const waiter of batch) if (settled.has(waiter.requestId)) waiter.wake();
    } catch (error) {
      // A failed look leaves the waiters waiting; the next tick looks again.
      console.error("long-poll status check failed", error);
    }
  }
  if (waiters.size > 0) setTimeout(() => void tick(), TICK_MS);
  else ticking = false;
}

/**
 * Resolves when the request has left `pending` (as the shared ticker sees it), at `deadline`
 * (epoch ms), or when `signal` aborts, whichever comes first. Holds no database connection.
 */
export function waitWhilePending(
  db: Database,
  ctx: TenantContext,
  requestId: string,
  deadline: number,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || deadline <= Date.now()) return resolve();
    const waiter: Waiter = {
      tenantId: ctx.tenantId,
      requestId,
      wake: () => {
        waiters.delete(waiter);
        clearTimeout(timer);
        signal.removeEventListener("abort", waiter.wake);
        resolve();
      },
    };
    // Only the timer, the abort and the ticker call wake, all after this line.
    const timer = setTimeout(waiter.wake, deadline - Date.now());
    signal.addEventListener("abort", waiter.wake, { once: true });
    waiters.add(waiter);
    tickerDb = db;
    if (!ticking) {
      ticking = true;
      setTimeout(() => void tick(), TICK_MS);
    }
  });
}
