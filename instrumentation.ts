// Next.js calls register() once per server process: start the background worker there.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.GATEWAY_WORKER === "false") return;
  const { startWorker } = await import("./lib/gateway/worker");
  startWorker();
}
