import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RouteHandler } from "@/lib/http/api-route";

type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", RouteHandler>>;

/**
 * Serves the app's real route handlers over real HTTP on 127.0.0.1, so stub authorizers can call
 * the gateway back exactly as they would a deployment. Patterns use `:name` segments.
 */
export async function startAppServer(
  routes: Record<string, RouteModule>,
  port = 0,
): Promise<{ url: string; close: () => Promise<void> }> {
  const compiled = Object.entries(routes).map(([pattern, module]) => {
    const names: string[] = [];
    const regex = new RegExp(`^${pattern.replace(/:(\w+)/g, (_m, name: string) => (names.push(name), "([^/]+)"))}$`);
    return { regex, names, module };
  });
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = compiled.map((c) => ({ c, m: c.regex.exec(url.pathname) })).find((x) => x.m);
    const handler = match?.c.module[(req.method ?? "GET") as keyof RouteModule];
    if (!match || !handler) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not_found","message":"no route"}');
      return;
    }
    const params = Object.fromEntries(match.c.names.map((n, i) => [n, decodeURIComponent(match.m![i + 1]!)]));
    const body = await readBody(req);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) =>
        v === undefined ? [] : [[k, Array.isArray(v) ? v.join(", ") : v] as [string, string]],
      ),
      body: body.length > 0 ? new Uint8Array(body) : undefined,
    });
    const response = await handler(request, { params: Promise.resolve(params) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
