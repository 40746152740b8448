import { afterEach, describe, expect, it, vi } from "vitest";
import * as apiKeys from "@/app/api/console/api-keys/route";
import * as attention from "@/app/api/console/attention/route";
import * as auditEvents from "@/app/api/console/audit-events/route";
import * as authorizers from "@/app/api/console/authorizers/route";
import * as failOpen from "@/app/api/console/fail-open/route";
import * as invitations from "@/app/api/console/invitations/route";
import * as members from "@/app/api/console/members/route";
import * as pendingRequests from "@/app/api/console/pending-requests/route";
import * as request from "@/app/api/console/requests/[requestId]/route";
import * as requests from "@/app/api/console/requests/route";
import * as routingValidate from "@/app/api/console/routing/validate/route";
import * as routingVersions from "@/app/api/console/routing/versions/route";
import * as sandboxConnect from "@/app/api/console/sandbox/connect/route";
import * as sandboxPolicy from "@/app/api/console/sandbox/policy/route";
import * as sandboxRequests from "@/app/api/console/sandbox/requests/route";
import * as settings from "@/app/api/console/settings/route";
import * as deliveries from "@/app/api/console/settings/webhook-deliveries/route";
import * as signingKeys from "@/app/api/console/signing-keys/route";
import * as stats from "@/app/api/console/stats/route";
import * as v1Requests from "@/app/api/v1/authorization-requests/route";
import { consoleQueries, type ConsoleQueryArgs, type ConsoleQueryName } from "@/components/console/shell/queries";
import { consoleQueryLoaders } from "@/lib/console/queries";
import { sampleRequests } from "@/lib/console/sample-requests";
import { createConsoleTenant } from "../../app/api/console/console-fixtures";
import { setupTestDatabase } from "../../setup/database";
import { bearer, callRoute, origin } from "../../setup/http";

const db = setupTestDatabase();

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

// Path → route handler: the console's own routes, reached the way the browser reaches them.
const routes: [RegExp, { GET?: Handler; POST?: Handler }][] = [
  [/^\/api\/console\/stats$/, stats],
  [/^\/api\/console\/attention$/, attention],
  [/^\/api\/console\/pending-requests$/, pendingRequests],
  [/^\/api\/console\/fail-open$/, failOpen],
  [/^\/api\/console\/authorizers$/, authorizers],
  [/^\/api\/console\/signing-keys$/, signingKeys],
  [/^\/api\/console\/settings$/, settings],
  [/^\/api\/console\/settings\/webhook-deliveries$/, deliveries],
  [/^\/api\/console\/requests$/, requests],
  [/^\/api\/console\/requests\/(?<requestId>[^/]+)$/, request],
  [/^\/api\/console\/routing\/versions$/, routingVersions],
  [/^\/api\/console\/routing\/validate$/, routingValidate],
  [/^\/api\/console\/api-keys$/, apiKeys],
  [/^\/api\/console\/members$/, members],
  [/^\/api\/console\/invitations$/, invitations],
  [/^\/api\/console\/audit-events$/, auditEvents],
  [/^\/api\/console\/sandbox\/requests$/, sandboxRequests],
  [/^\/api\/console\/sandbox\/policy$/, sandboxPolicy],
];

/** Answers the registry's fetches with the real route handlers, as a signed-in owner's browser would. */
function serveConsoleRoutes(session: Record<string, string>) {
  vi.stubGlobal("fetch", async (path: string, init: RequestInit = {}) => {
    const url = new URL(path, origin);
    const match = routes.map(([pattern, route]) => [url.pathname.match(pattern), route] as const).find(([m]) => m);
    if (!match) throw new Error(`No console route for ${url.pathname}`);
    const [found, route] = match;
    const method = (init.method ?? "GET") as "GET" | "POST";
    const headers = new Headers({ ...session, origin, ...(init.headers as Record<string, string>) });
    const handler = route[method];
    if (!handler) throw new Error(`${url.pathname} answers no ${method}`);
    return handler(new Request(url, { method, headers, body: init.body }), {
      params: Promise.resolve({ ...found!.groups }),
    });
  });
}

afterEach(() => vi.unstubAllGlobals());

describe("each console query is one definition: the registry's fetcher answers what its loader produces", () => {
  it("for every query in the registry, on a tenant with requests and a sandbox", async () => {
    const t = await createConsoleTenant(db());
    expect((await callRoute(sandboxConnect.POST, { method: "POST", headers: t.owner })).status).toBe(201);
    for (const sample of sampleRequests) {
      const submitted = await callRoute(v1Requests.POST, {
        method: "POST",
        headers: bearer(t.apiKey),
        json: { principal: sample.principal, action: sample.action },
      });
      expect(submitted.status).toBe(200);
    }
    const listed = await consoleQueryLoaders.requests(db(), t.ctx, {});
    expect(listed.data.length).toBeGreaterThan(1);

    const cases: { [K in ConsoleQueryName]: ConsoleQueryArgs<K> } = {
      stats: [],
      attention: [],
      pendingRequests: [],
      failOpen: [],
      authorizers: [],
      signingKeys: [],
      settings: [],
      deliveries: [],
      requests: [{ range: "24h", limit: "2" }],
      recentRequests: [],
      request: [listed.data[0]!.requestId],
      routingVersions: [],
      routingCheck: ['["$approve"]'],
      apiKeys: [],
      members: [],
      invitations: [],
      auditLog: [{ range: "7d" }],
      sandboxInbox: ["pending"],
      sandboxPolicy: [],
    };
    serveConsoleRoutes(t.owner);
    for (const [name, args] of Object.entries(cases) as [ConsoleQueryName, unknown[]][]) {
      const options = (consoleQueries[name] as (...a: unknown[]) => Record<string, unknown>)(...args);
      const fetcher = options.queryFn as (context: { pageParam: null }) => Promise<unknown>;
      const viaRoute = await fetcher({ pageParam: null });
      const load = consoleQueryLoaders[name] as (...a: unknown[]) => Promise<unknown>;
      const viaLoader = JSON.parse(JSON.stringify(await load(db(), t.ctx, ...args)));
      expect({ name, data: viaRoute }).toEqual({ name, data: viaLoader });
    }
  }, 120_000);

  it("keeps keys apart: different arguments, different keys; the same arguments, the same key", () => {
    expect(consoleQueries.request("a").queryKey).not.toEqual(consoleQueries.request("b").queryKey);
    expect(consoleQueries.requests({ status: "pending" }).queryKey).toEqual(
      consoleQueries.requests({ status: "pending" }).queryKey,
    );
    const keys = [
      consoleQueries.stats(),
      consoleQueries.recentRequests(),
      consoleQueries.requests({}),
      consoleQueries.auditLog({}),
      consoleQueries.sandboxInbox("pending"),
    ].map((o) => JSON.stringify(o.queryKey));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
