import { config, ConfigError } from "./lib/config/env";

// The Node server's start (see instrumentation.ts): validate the configuration, apply migrations when
// asked, start the worker. A module of its own so that nothing Node-only (process.exit, the database
// drivers) is compiled for the edge runtime, where Next would warn about it at every start.
let settings: ReturnType<typeof config>;
try {
  settings = config();
} catch (error) {
  // Next would go on answering 500 to everything: an invalid variable stops the server instead, naming it.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const { MIGRATE_ON_START, GATEWAY_WORKER } = settings;
// Containers (see Dockerfile) run no separate migration step: the server applies pending
// migrations itself, serialised across instances by the migration advisory lock.
if (MIGRATE_ON_START) {
  const [{ getDatabaseHandle }, { runMigrations }] = await Promise.all([import("./db/client"), import("./db/migrate")]);
  await runMigrations(getDatabaseHandle());
}
if (GATEWAY_WORKER) {
  // The gateway and the sandbox register their job kinds and periodic tasks with the runner.
  await Promise.all([import("./lib/gateway/jobs"), import("./lib/sandbox/jobs")]);
  const { startWorker } = await import("./lib/jobs/worker");
  startWorker();
}
