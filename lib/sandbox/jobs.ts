import { registerPeriodicTask } from "@/lib/jobs/job-runner";
import { runSandboxDeliveries } from "./deliveries";

// The built-in sandbox authorizer's own durable work, registered with the neutral job runner once
// this module is imported (instrumentation.ts, /api/cron/tick): expiries and decision deliveries,
// on every worker pass.
registerPeriodicTask("sandbox expiries and deliveries", (db) => runSandboxDeliveries(db));
