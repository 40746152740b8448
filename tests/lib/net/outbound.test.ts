import { createServer, type Server } from "node:net";
import { networkInterfaces } from "node:os";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as settingsRoute from "@/app/api/v1/settings/route";
import { checkOutboundUrl, outboundAgent } from "@/lib/net/outbound";
import { forbiddenAddressReason } from "@/lib/net/special-addresses";
import { createTestTenant, setupTestDatabase } from "../../setup/database";
import { bearer, callRoute } from "../../setup/http";

// Issue 12, item 9: with the guard on (production: private networks not allowed), every outbound
// connection is judged on the address it would actually connect to — IP literals included, which
// never pass through DNS — against the full special-purpose registries, before any socket opens.
const db = setupTestDatabase();
let server: Server;
let port = 0;
let connections = 0;
const previous = process.env.ALLOW_PRIVATE_NETWORK_URLS;

beforeAll(async () => {
  process.env.ALLOW_PRIVATE_NETWORK_URLS = "false";
  server = createServer((socket) => {
    connections += 1;
    socket.end("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  process.env.ALLOW_PRIVATE_NETWORK_URLS = previous;
  await new Promise((resolve) => server.close(resolve));
});

const ownAddresses = Object.values(networkInterfaces())
  .flatMap((list) => list ?? [])
  .filter((a) => !a.internal && !a.address.includes("%"))
  .map((a) => a.address);
const literalTargets = [
  "127.0.0.1",
  "[::127.0.0.1]",
  "[::ffff:0:7f00:1]",
  "[::ffff:127.0.0.1]",
  "[64:ff9b::a9fe:a9fe]",
  "[64:ff9b::7f00:1]",
  "[2002:7f00:1::]",
  "[fec0::1]",
  "[fe80::1]",
  "[fd00::1]",
  "[::1]",
  "[2001::1]",
  "[64:ff9b:1::1]",
  "[100::1]",
  "192.0.0.1",
  "198.18.0.1",
  "169.254.169.254",
  "100.64.0.1",
  "0.0.0.0",
  "255.255.255.255",
  "[5f00::1]",
  "[3fff::1]",
  ...ownAddresses.map((a) => (a.includes(":") ? `[${a}]` : a)),
];

async function outboundError(url: string): Promise<unknown> {
  try {
    const answer = await request(url, { dispatcher: outboundAgent(), headersTimeout: 2000, bodyTimeout: 2000 });
    await answer.body.dump();
    return null;
  } catch (error) {
    return error;
  }
}

describe("the outbound SSRF guard", () => {
  it("refuses every special-purpose and own IP literal before connecting", async () => {
    for (const host of literalTargets) {
      const error = (await outboundError(`http://${host}:${port}/`)) as { code?: string } | null;
      expect({ host, code: error?.code }).toEqual({ host, code: "EPRIVATEADDR" });
    }
    expect(connections).toBe(0);
  });

  it("refuses a name that resolves to loopback, on the resolved address", async () => {
    const error = (await outboundError(`http://localhost:${port}/`)) as { code?: string } | null;
    expect(error?.code).toBe("EPRIVATEADDR");
    expect(connections).toBe(0);
  });

  it("judges embedded IPv4 by the address it carries and lets public addresses through", () => {
    for (const address of [
      "93.184.215.14",
      "2606:4700:4700::1111",
      "64:ff9b::5db8:d70e",
      "2002:5db8:d70e::1",
      "::ffff:93.184.215.14",
    ]) {
      expect({ address, reason: forbiddenAddressReason(address) }).toEqual({ address, reason: null });
    }
    expect(forbiddenAddressReason("64:ff9b::a9fe:a9fe")).toMatch(/NAT64 169\.254\.169\.254/);
    expect(forbiddenAddressReason("2002:0a00:0001::")).toMatch(/6to4 10\.0\.0\.1/);
    expect(forbiddenAddressReason("not-an-ip")).toBe("not an IP address");
  });

  it("refuses those literals when an endpoint, webhook or publicBaseUrl is saved", async () => {
    for (const host of literalTargets)
      expect({ host, problem: checkOutboundUrl(`https://${host}/x`) }).toEqual({ host, problem: "private_address" });
    const t = await createTestTenant(db());
    for (const publicBaseUrl of [
      "https://169.254.169.254",
      "https://[::ffff:a9fe:a9fe]",
      "https://localhost",
      "https://10.1.2.3",
    ]) {
      const answer = await callRoute(settingsRoute.PUT, {
        method: "PUT",
        headers: bearer(t.apiKey),
        json: { publicBaseUrl },
      });
      expect({ publicBaseUrl, status: answer.status, error: answer.body.error }).toEqual({
        publicBaseUrl,
        status: 400,
        error: "validation_failed",
      });
    }
    const ok = await callRoute(settingsRoute.PUT, {
      method: "PUT",
      headers: bearer(t.apiKey),
      json: { publicBaseUrl: "https://gateway.example.com" },
    });
    expect(ok.status).toBe(200);
  });
});
