/**
 * Per-tenant admission of API work on this instance, so one tenant's flood cannot stall another's
 * requests. A tenant alone may run up to `TENANT_MAX_IN_FLIGHT` requests at once; while other tenants
 * are active too (a request within the last second), each may run only its fair share,
 * `TENANT_FAIR_SHARE_SLOTS` divided among the active tenants (at least 2). Requests beyond a tenant's
 * share wait in that tenant's own queue, costing nothing while they wait; beyond
 * `TENANT_MAX_QUEUED` waiting, `429 rate_limited` with `Retry-After`.
 */
import { AppError } from "@/lib/errors/app-error";
import { config } from "@/lib/config/env";

/** The limits, per instance. */
export interface FairShareLimits {
  /** In-flight requests shared out among the tenants active at the same time. */
  slots: number;
  /** Most in-flight requests of one tenant, even alone. */
  maxInFlight: number;
  /** Most requests of one tenant waiting for a slot. */
  maxQueued: number;
}

/** A tenant with a request this recent counts as active. */
const ACTIVE_WINDOW_MS = 1000;
/** Least share of a tenant, however many are active. */
const MIN_SHARE = 2;

/** `TENANT_FAIR_SHARE_SLOTS` (32), `TENANT_MAX_IN_FLIGHT` (64), `TENANT_MAX_QUEUED` (256). */
export function fairShareLimits(): FairShareLimits {
  const { TENANT_FAIR_SHARE_SLOTS: slots, TENANT_MAX_IN_FLIGHT: maxInFlight, TENANT_MAX_QUEUED: maxQueued } = config();
  return { slots, maxInFlight, maxQueued };
}

interface TenantLoad {
  inFlight: number;
  queue: (() => void)[];
  lastSeenAt: number;
}

const loads = new Map<string, TenantLoad>();
let activeCount = { value: 0, countedAt: 0 };

// Counted at most every 50 ms: the count only steers shares, and a sweep also forgets idle tenants.
function activeTenants(now: number): number {
  if (now - activeCount.countedAt < 50) return activeCount.value;
  let value = 0;
  for (const [tenantId, load] of loads) {
    const busy = load.inFlight > 0 || load.queue.length > 0;
    if (busy || now - load.lastSeenAt < ACTIVE_WINDOW_MS) value += 1;
    else loads.delete(tenantId);
  }
  activeCount = { value, countedAt: now };
  return value;
}

function shareOf(limits: FairShareLimits, now: number): number {
  const active = Math.max(1, activeTenants(now));
  if (active === 1) return limits.maxInFlight;
  return Math.min(limits.maxInFlight, Math.max(MIN_SHARE, Math.floor(limits.slots / active)));
}

function admitQueued(load: TenantLoad, limits: FairShareLimits): void {
  while (load.queue.length > 0 && load.inFlight < shareOf(limits, Date.now())) {
    load.inFlight += 1;
    load.queue.shift()!();
  }
}

/**
 * Waits until `tenantId` may run one more request, then returns the function that ends it (call it
 * exactly once, when the request is done). Throws `rate_limited` when too many already wait, or when
 * `signal` aborts while waiting.
 */
export async function admitTenantRequest(
  tenantId: string,
  signal?: AbortSignal,
  limits: FairShareLimits = fairShareLimits(),
): Promise<() => void> {
  const now = Date.now();
  let load = loads.get(tenantId);
  if (!load) {
    load = { inFlight: 0, queue: [], lastSeenAt: now };
    loads.set(tenantId, load);
    activeCount.countedAt = 0;
  }
  load.lastSeenAt = now;
  const tenantLoad = load;
  if (tenantLoad.queue.length === 0 && tenantLoad.inFlight < shareOf(limits, now)) tenantLoad.inFlight += 1;
  else {
    if (tenantLoad.queue.length >= limits.maxQueued) {
      throw new AppError("rate_limited", "Too many concurrent requests for this tenant", { retryAfter: 1 });
    }
    await new Promise<void>((resolve, reject) => {
      const admit = () => {
        signal?.removeEventListener("abort", abort);
        resolve();
      };
      const abort = () => {
        const at = tenantLoad.queue.indexOf(admit);
        if (at >= 0) tenantLoad.queue.splice(at, 1);
        reject(new AppError("rate_limited", "The request ended while waiting for its turn", { retryAfter: 1 }));
      };
      tenantLoad.queue.push(admit);
      signal?.addEventListener("abort", abort, { once: true });
    });
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    tenantLoad.inFlight -= 1;
    tenantLoad.lastSeenAt = Date.now();
    admitQueued(tenantLoad, limits);
  };
}

/** What `tenantId` is running and has waiting on this instance right now (for tests and diagnostics). */
export function tenantLoadOf(tenantId: string): { inFlight: number; queued: number } {
  const load = loads.get(tenantId);
  return { inFlight: load?.inFlight ?? 0, queued: load?.queue.length ?? 0 };
}
