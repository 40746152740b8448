// The gateway and the sandbox register their job kinds and periodic tasks with the runner: imported here,
// not by every ops route, so /api/health does not load the whole job graph.
import "@/lib/gateway/jobs";
import "@/lib/sandbox/jobs";
import { runWorkerPass } from "@/lib/jobs/worker";
import { json, type CronRequest } from "../api-route";

// For serverless hosts without a long-lived worker: a scheduler calls the tick every minute or more often.
const TICK_BUDGET_MS = 20_000;

export async function cronTickRoute({ db }: CronRequest): Promise<Response> {
  const deadline = Date.now() + TICK_BUDGET_MS;
  let ran = 0;
  for (;;) {
    const batch = await runWorkerPass(db, 16);
    ran += batch;
    if (batch === 0 || Date.now() > deadline) break;
  }
  return json({ ran });
}
