// Next.js calls register() once per server process, and serves nothing until it has returned.
export async function register() {
  // NEXT_RUNTIME is replaced at build time: the edge bundle gets none of the Node-only start.
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}
