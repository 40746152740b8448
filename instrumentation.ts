// Next.js calls register() once per server process, and serves nothing until it has returned.
export async function register() {
  // NEXT_RUNTIME is replaced at build time, which keeps the Node-only imports below out of the edge bundle.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // An invalid variable stops the server here, naming it, before it serves anything.
  const { config } = await import("./lib/config/env");
  const { MIGRATE_ON_START, GATEWAY_WORKER } = config();
  // Containers (see Dockerfile) run no separate migration step: the server applies pending
  // migrations itself, serialised across instances by the migration advisory lock.
  if (MIGRATE_ON_START) {
    const [{ getDatabaseHandle }, { runMigrations }] = await Promise.all([
      import("./db/client"),
      import("./db/migrate"),
    ]);
    await runMigrations(getDatabaseHandle());
  }
  if (!GATEWAY_WORKER) return;
  // The gateway and the sandbox register their job kinds and periodic tasks with the runner.
  await Promise.all([import("./lib/gateway/jobs"), import("./lib/sandbox/jobs")]);
  const { startWorker } = await import("./lib/jobs/worker");
  startWorker();
}
