import { connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/**
 * A WebSocket-to-TCP proxy on loopback, so Neon's serverless driver (which speaks the PostgreSQL
 * protocol over a WebSocket) can reach the local PostgreSQL in tests. It does what Neon's
 * `wsproxy` does: `ws://127.0.0.1:<port>/v1?address=host:port` opens a TCP connection to that
 * address and relays bytes both ways. Only loopback destinations are relayed.
 */
export async function startNeonWsProxy(): Promise<{
  proxy: string;
  connections: () => number;
  close: () => Promise<void>;
}> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  let opened = 0;
  const sockets = new Set<Socket>();
  server.on("connection", (ws: WebSocket, request) => {
    const address = new URL(request.url ?? "/", "http://proxy").searchParams.get("address") ?? "";
    const [, host = "", port = ""] = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address) ?? [];
    if (!["127.0.0.1", "localhost", "::1"].includes(host) || !port) {
      ws.close(1008, "only loopback destinations");
      return;
    }
    opened += 1;
    const socket = connect(Number(port), host);
    sockets.add(socket);
    const pending: Buffer[] = [];
    socket.on("connect", () => {
      for (const chunk of pending.splice(0)) socket.write(chunk);
    });
    ws.on("message", (data: Buffer) => (socket.connecting ? pending.push(data) : socket.write(data)));
    socket.on("data", (chunk) => ws.readyState === ws.OPEN && ws.send(chunk, { binary: true }));
    const end = () => {
      sockets.delete(socket);
      socket.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };
    socket.on("close", end);
    socket.on("error", end);
    ws.on("close", end);
    ws.on("error", end);
  });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    proxy: `127.0.0.1:${port}/v1`,
    connections: () => opened,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
