import { runSandboxDeliveries } from "@/lib/authorizer/deliveries";
import { runDueJobs } from "@/lib/gateway/job-runner";
import { apiRoute, json, withCronSecret } from "@/lib/http/api-route";

// For serverless hosts without a long-lived worker: a scheduler calls this every few seconds.
const TICK_BUDGET_MS = 20_000;

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withCronSecret(async ({ db }) => {
    const deadline = Date.now() + TICK_BUDGET_MS;
    let ran = 0;
    for (;;) {
      const batch = (await runDueJobs(db, 16)) + (await runSandboxDeliveries(db));
      ran += batch;
      if (batch === 0 || Date.now() > deadline) break;
    }
    return json({ ran });
  }),
});
