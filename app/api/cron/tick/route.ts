// The gateway and the sandbox register their job kinds and periodic tasks with the runner.
import "@/lib/gateway/jobs";
import "@/lib/sandbox/jobs";
import { runWorkerPass } from "@/lib/jobs/worker";
import { apiRoute, json, withCronSecret, type RouteHandler } from "@/lib/http/api-route";

// For serverless hosts without a long-lived worker: a scheduler calls this every minute or more
// often (Vercel Cron sends GET with `Authorization: Bearer $CRON_SECRET`; others may POST).
const TICK_BUDGET_MS = 20_000;

const tick: RouteHandler = withCronSecret(async ({ db }) => {
  const deadline = Date.now() + TICK_BUDGET_MS;
  let ran = 0;
  for (;;) {
    const batch = await runWorkerPass(db, 16);
    ran += batch;
    if (batch === 0 || Date.now() > deadline) break;
  }
  return json({ ran });
});

export const maxDuration = 60;
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({ GET: tick, POST: tick });
