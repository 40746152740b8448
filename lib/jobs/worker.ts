import { getDb, type Database } from "@/db/client";
import { runDueJobs } from "./job-runner";
import { runPeriodicTasks } from "./registry";

export interface WorkerOptions {
  concurrency?: number;
  idleDelayMs?: number;
}

/**
 * One pass of the worker, which /api/cron/tick also runs: the registered periodic tasks that are
 * due, then up to `limit` due jobs. Returns how much it did (0: nothing was waiting).
 */
export async function runWorkerPass(db: Database, limit: number): Promise<number> {
  const handled = await runPeriodicTasks(db);
  return handled + (await runDueJobs(db, limit));
}

const globalForWorker = globalThis as unknown as { stepauthWorker?: { stop: () => Promise<void> } };

/**
 * The in-process worker of `npm run dev` / `npm start`: claims due jobs from the database and runs
 * them with the handlers the gateway and the sandbox registered (import lib/gateway/jobs and
 * lib/sandbox/jobs first). The database is the queue, so several instances may each run one, and a
 * restart resumes where the last process stopped. Returns a stop function; starting twice returns
 * the same worker.
 */
export function startWorker(options: WorkerOptions = {}): { stop: () => Promise<void> } {
  if (globalForWorker.stepauthWorker) return globalForWorker.stepauthWorker;
  const concurrency = options.concurrency ?? 16;
  const idleDelayMs = options.idleDelayMs ?? 250;
  let running = true;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (running) {
      let ran = 0;
      try {
        ran = await runWorkerPass(getDb(), concurrency);
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
