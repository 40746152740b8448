import { getDb } from "@/db/client";
import { runSandboxDeliveries } from "@/lib/sandbox/deliveries";
import { enqueueDueSealJobs } from "@/db/queries/system/audit-seal-jobs";
import { enqueueDuePurgeJobs } from "@/db/queries/system/retention-jobs";
import { runDueJobs } from "./job-runner";

/** How often the worker queues seal and retention purge jobs for tenants with work waiting. */
const AUDIT_SEAL_INTERVAL_MS = Number(process.env.AUDIT_SEAL_INTERVAL_SECONDS ?? 60) * 1000;

export interface WorkerOptions {
  concurrency?: number;
  idleDelayMs?: number;
}

const globalForWorker = globalThis as unknown as { stepauthWorker?: { stop: () => Promise<void> } };

/**
 * The in-process worker of `npm run dev` / `npm start`: claims due jobs from the database and runs
 * them. The database is the queue, so several instances may each run one, and a restart resumes
 * where the last process stopped. Returns a stop function; starting twice returns the same worker.
 */
export function startWorker(options: WorkerOptions = {}): { stop: () => Promise<void> } {
  if (globalForWorker.stepauthWorker) return globalForWorker.stepauthWorker;
  const concurrency = options.concurrency ?? 16;
  const idleDelayMs = options.idleDelayMs ?? 250;
  let running = true;
  let wake: (() => void) | null = null;
  let nextSealAt = 0;
  const loop = (async () => {
    while (running) {
      let ran = 0;
      try {
        if (Date.now() >= nextSealAt) {
          nextSealAt = Date.now() + AUDIT_SEAL_INTERVAL_MS;
          await enqueueDueSealJobs(getDb());
          await enqueueDuePurgeJobs(getDb());
        }
        ran = await runDueJobs(getDb(), concurrency);
        // The built-in sandbox authorizer's own durable work: expiries and decision deliveries.
        ran += await runSandboxDeliveries(getDb());
      } catch (error) {
        console.error("worker: claiming jobs failed", error instanceof Error ? error.message : error);
      }
      if (ran === 0 && running)
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, idleDelayMs).unref();
        });
    }
  })();
  globalForWorker.stepauthWorker = {
    async stop() {
      running = false;
      wake?.();
      await loop;
      globalForWorker.stepauthWorker = undefined;
    },
  };
  return globalForWorker.stepauthWorker;
}
