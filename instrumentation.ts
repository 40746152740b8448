// Next.js calls register() once per server process, and serves nothing until it has returned.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Containers (see Dockerfile) run no separate migration step: the server applies pending
  // migrations itself, serialised across instances by the migration advisory lock.
  if (process.env.MIGRATE_ON_START === "true") {
    const [{ getDatabaseHandle }, { runMigrations }] = await Promise.all([
      import("./db/client"),
      import("./db/migrate"),
    ]);
    await runMigrations(getDatabaseHandle());
  }
  if (process.env.GATEWAY_WORKER === "false") return;
  const { startWorker } = await import("./lib/jobs/worker");
  startWorker();
}
