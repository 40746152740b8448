import type { Database } from "@/db/client";
import type { Job, JobKind } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";

/** What a job handler tells the runner: done, or come back after `retryInMs`. Delivery jobs it made are run next. */
// `jobClosed`: the handler's own statement already finished (deleted) the job under its lease (a decision, a pending mark).
export type JobResult =
  { done: true; followUp?: Job | null; jobClosed?: boolean } | { done: false; retryInMs: number; error?: string };

/**
 * Runs one claimed job of its kind. `hint` is whatever the code that ran the job inline handed to
 * runJob (the gateway's submit passes what it already holds in memory); the worker passes none.
 */
export type JobHandler<Hint = never> = (db: Database, ctx: TenantContext, job: Job, hint?: Hint) => Promise<JobResult>;

interface JobKindEntry {
  handler: JobHandler<unknown>;
  /** Overrides the runner's lease (JOB_LEASE_SECONDS) for this kind's claims. */
  leaseSeconds?: number;
}

/** Work a worker pass does besides claimed jobs; returns how many items it handled. */
export type PeriodicTask = (db: Database) => Promise<number>;

interface PeriodicTaskEntry {
  run: PeriodicTask;
  everyMs: number;
  nextAt: number;
}

// Per module instance, like the handlers it holds: Next may load a module once per bundle, and each
// bundle that runs jobs imports the registering modules itself (lib/gateway/jobs.ts, lib/sandbox/jobs.ts).
const jobKinds = new Map<JobKind, JobKindEntry>();
const periodicTasks = new Map<string, PeriodicTaskEntry>();

/**
 * Makes `handler` run the claimed jobs of `kind`. Registering a kind again replaces its handler
 * (a module re-evaluated by `next dev` registers anew).
 *
 * @example registerJobKind("seal", runSealJob)
 */
export function registerJobKind<Hint = never>(
  kind: JobKind,
  handler: JobHandler<Hint>,
  options: { leaseSeconds?: number } = {},
): void {
  jobKinds.set(kind, { handler: handler as JobHandler<unknown>, leaseSeconds: options.leaseSeconds });
}

/** The handler registered for `kind`, if any. */
export function jobHandlerFor(kind: JobKind): JobHandler<unknown> | undefined {
  return jobKinds.get(kind)?.handler;
}

/** The kinds a handler is registered for: the only ones this process's passes claim. */
export function registeredJobKinds(): JobKind[] {
  return [...jobKinds.keys()];
}

/** The lease of each registered kind that set its own (see ClaimLease in db/queries/system/jobs.ts). */
export function leaseSecondsByKind(): Partial<Record<JobKind, number>> {
  const byKind: Partial<Record<JobKind, number>> = {};
  for (const [kind, entry] of jobKinds) if (entry.leaseSeconds !== undefined) byKind[kind] = entry.leaseSeconds;
  return byKind;
}

/**
 * Makes every worker pass (and every /api/cron/tick batch) call `run`, or, with `everyMs`, call it
 * at most that often per process. Registering a name again replaces it.
 *
 * @example registerPeriodicTask("sandbox deliveries", (db) => runSandboxDeliveries(db))
 */
export function registerPeriodicTask(name: string, run: PeriodicTask, options: { everyMs?: number } = {}): void {
  periodicTasks.set(name, { run, everyMs: options.everyMs ?? 0, nextAt: 0 });
}

/**
 * Runs the periodic tasks that are due, one after another; one that throws is logged and the others
 * still run. Returns how many items they handled.
 */
export async function runPeriodicTasks(db: Database, now = Date.now()): Promise<number> {
  let handled = 0;
  for (const [name, task] of periodicTasks) {
    if (now < task.nextAt) continue;
    task.nextAt = now + task.everyMs;
    try {
      handled += await task.run(db);
    } catch (error) {
      console.error(`periodic task "${name}" failed`, error instanceof Error ? error.message : error);
    }
  }
  return handled;
}
