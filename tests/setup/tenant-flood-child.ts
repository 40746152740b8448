export {};
// One tenant's attack, in its own process so the attacker's client work does not run on the event
// loop of the gateway under test (a real attacker's client is elsewhere too). Sends, at full
// concurrency until SIGTERM, submits through the tenant's costly routing script and long-polls far
// beyond the caps; then prints the count of each answer status as JSON and exits.
const { FLOOD_URL, FLOOD_API_KEY, FLOOD_PENDING_ID, FLOOD_BODY } = process.env;
const submitters = Number(process.env.FLOOD_SUBMITTERS);
const longPolls = Number(process.env.FLOOD_LONG_POLLS);
const retryPauseMs = Number(process.env.FLOOD_RETRY_PAUSE_MS);
const seen: Record<number, number> = {};
let running = true;

async function loop(path: string, init: RequestInit): Promise<void> {
  while (running) {
    const status = await fetch(FLOOD_URL + path, init)
      .then(async (answer) => (await answer.arrayBuffer(), answer.status))
      .catch(() => 0);
    seen[status] = (seen[status] ?? 0) + 1;
    // It ignores Retry-After (5 s for long-polls) and comes back after retryPauseMs.
    if (status === 429 && retryPauseMs > 0) await new Promise((resolve) => setTimeout(resolve, retryPauseMs));
  }
}

const authorization = `Bearer ${FLOOD_API_KEY}`;
const loops = [
  ...Array.from({ length: submitters }, () =>
    loop("/api/v1/authorization-requests", {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: FLOOD_BODY,
    }),
  ),
  ...Array.from({ length: longPolls }, () =>
    loop(`/api/v1/authorization-requests/${FLOOD_PENDING_ID}?wait=10`, { headers: { authorization } }),
  ),
];
process.on("SIGTERM", () => {
  running = false;
  // Long-polls may wait up to 10 s: report what was seen without waiting for them.
  console.log(JSON.stringify(seen));
  process.exit(0);
});
console.log("flooding");
await Promise.all(loops);
