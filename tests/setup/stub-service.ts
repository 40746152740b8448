import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { createClient, isStepAuthClientError, type WebhookHeaders } from "@/lib/client";

/**
 * The SP's own service: receives the gateway's Standard Webhooks deliveries, verifies them,
 * "executes" approvals and answers the result. It keeps no record of what it ran, so `executions`
 * counts every `execute: true` delivery it acted on: a delivery repeated after a crash shows as 2.
 * With `claimAt`, it does what a real service must (lib/client's `execute`): claims the execution at
 * the gateway before running, so a repeated delivery is answered `accepted` without running again.
 */
export async function startStubService(
  secret: () => string,
  options: {
    failFirst?: number;
    answer?: "success" | "error" | "accepted";
    delayMs?: number;
    claimAt?: () => { baseUrl: string; apiKey: string };
  } = {},
) {
  const state = {
    deliveries: [] as { id: string; body: any }[],
    executions: new Map<string, number>(),
    refused: 0,
    failLeft: options.failFirst ?? 0,
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: any;
    try {
      body = new Webhook(secret()).verify(raw, req.headers as Record<string, string>);
    } catch {
      state.refused += 1;
      return res.writeHead(401).end();
    }
    const id = String(req.headers["webhook-id"]);
    state.deliveries.push({ id, body });
    if (state.failLeft > 0) {
      state.failLeft -= 1;
      return res.writeHead(503).end();
    }
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    // `accepted`: a service that claims the execution itself (through data.execution.claimUrl) and reports later.
    if (options.answer === "accepted")
      return res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ requestId: id, status: "accepted" }));
    if (options.claimAt && body.data.execute) {
      const client = createClient({ ...options.claimAt(), webhookSecret: secret(), retry: { maxAttempts: 3 } });
      try {
        const answer = await client.execute({ rawBody: raw, headers: req.headers as WebhookHeaders }, () => {
          state.executions.set(id, (state.executions.get(id) ?? 0) + 1);
        });
        return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      } catch (error) {
        // The gateway could not be reached to claim or report: answer 5xx, and it delivers again.
        return res.writeHead(isStepAuthClientError(error, "invalid_webhook") ? 401 : 503).end();
      }
    }
    if (body.data.execute) state.executions.set(id, (state.executions.get(id) ?? 0) + 1);
    const answer =
      options.answer === "error"
        ? { requestId: id, status: "error", error: "device no longer enrolled" }
        : { requestId: id, status: "success" };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    state,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
