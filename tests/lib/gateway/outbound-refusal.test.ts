import { lookup } from "node:dns/promises";
import { hostname } from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { isBlockedAddress } from "@/lib/net/outbound";
import { setupTestDatabase } from "../../setup/database";
import { api, createGatewayTenant, setupAppServer, wipeRequest } from "../../setup/gateway";
import { startStubAuthorizer } from "../../setup/stub-authorizer";

// As in production: the outbound agent (created at the first authorizer call of this process)
// refuses to connect to private addresses. The stub and the app stay on 127.0.0.1, which this
// file reaches only through the test's own HTTP client.
process.env.ALLOW_PRIVATE_NETWORK_URLS = "false";
afterAll(() => {
  process.env.ALLOW_PRIVATE_NETWORK_URLS = "true";
});

const db = setupTestDatabase();
const appUrl = setupAppServer();

// A name that passes the URL check but resolves to a private address: the machine's own name
// (in /etc/hosts on Linux and in containers). Where it does not resolve so, there is nothing to refuse.
const host = hostname();
const resolvesPrivate = await lookup(host, { all: true }).then(
  (all) => all.length > 0 && all.every((a) => isBlockedAddress(a.address)),
  () => false,
);

describe("an endpoint the SSRF guard refuses", () => {
  it.skipIf(!resolvesPrivate)(
    "is a refusal, not an outage: the target fails and the request is denied, never approved by fail-open",
    async () => {
      const stub = await startStubAuthorizer({ mode: "approve" });
      const tenant = await createGatewayTenant(db(), {
        appUrl: appUrl(),
        authorizers: [{ name: "default", url: `https://${host}:${new URL(stub.url).port}`, pollOnly: true }],
        unavailabilityPolicy: "fail_open",
      });
      const submitted = await api(appUrl(), tenant.apiKey, "POST", "/api/v1/authorization-requests", wipeRequest());
      expect(submitted.body).toMatchObject({
        status: "denied",
        statusReason: "authorizer_rejected",
        failOpen: false,
        authorizers: [{ state: "failed", lastError: "rejected:destination_refused" }],
      });
      expect(stub.state.calls).toHaveLength(0);
      await stub.close();
    },
  );
});
