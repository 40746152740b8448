import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../setup/database";
import { createGatewayTenant } from "../setup/gateway";
import { bearer, callRoute, origin, sessionHeaders } from "../setup/http";

// Bad input gets a 4xx with a JSON code, never a 500: every route of the public, console,
// authorizer-facing and sandbox APIs, with every method, against a set of hostile bodies and params.
const db = setupTestDatabase();

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? routeFiles(full) : name === "route.ts" ? [full] : [];
  });
}

let deep: unknown = "x";
for (let i = 0; i < 3000; i += 1) deep = [deep];
const bodies: (string | undefined)[] = [
  undefined,
  "",
  "null",
  "[]",
  "42",
  '"text"',
  "{not json",
  '{"a":',
  JSON.stringify(deep),
  JSON.stringify({ principal: "x", action: [], name: { $ne: 1 }, scopes: "admin", role: 7, status: ["approved"] }),
  JSON.stringify({ payload: "!!!", signatures: [{ algorithm: "ed25519", keyId: "k", signature: "%%" }] }),
  JSON.stringify({
    routingScript: "[".repeat(5000),
    script: "a".repeat(100_000),
    request: { principal: {}, action: {} },
  }),
  JSON.stringify({
    endpoint: "http://169.254.169.254/latest",
    webhookUrl: "file:///etc/passwd",
    publicKeys: [{ keyId: "", publicKey: "AAAA" }],
  }),
  "\u0000\uFFFF",
  // Text no database column holds: NUL in every field people type, and a lone surrogate escape.
  JSON.stringify({
    principal: { type: "human", attributes: [{ key: "n", label: "N\u0000", value: "\u0000" }] },
    action: { type: "x", summary: "wipe\u0000" },
    externalId: "\u0000",
    spId: "sp\u0000",
    name: "k\u0000",
    scopes: ["admin"],
    email: "a@b.test",
    role: "viewer",
    initialPassword: "a-long-password-1",
    verdict: "deny",
    reason: "\u0000",
  }),
  '{"name":"\\ud800","reason":"\\ud800","externalId":"\\udc00","summary":"\\ud800","scopes":["admin"]}',
  JSON.stringify({
    payload: Buffer.from(
      JSON.stringify({ requestId: "req_aaaaaaaaaaaaaaaaaaaa", spId: "sp\u0000", timestamp: "2026-01-01T00:00:00Z" }),
    ).toString("base64"),
    signatures: [{ algorithm: "ed25519", keyId: "k", signature: "AAAA" }],
  }),
];
// Query strings and headers that once reached the database or URL parsing unchecked.
const farPastCursor = Buffer.from(`${new Date(-8.64e15).toISOString()}|req_aaaaaaaaaaaaaaaaaaaa`).toString("base64url");
const requestVariants: { query: string; headers: Record<string, string> }[] = [
  { query: `?q=%00&cursor=${farPastCursor}&format=csv`, headers: {} },
  { query: "?q=x", headers: { origin: "null" } },
  { query: "?q=x", headers: { "stepauth-tenant-cookie": "not-a-uuid" } },
  // ISO 8601 shapes of instants no timestamptz holds: year 0000, and year 1 at +14:00 (year 0 in UTC).
  { query: "?from=0000-01-01T00:00:00Z&to=0001-01-01T00:00:00%2B14:00", headers: {} },
  { query: "?from=0001-01-01T00:00:00%2B14:00&to=9999-12-31T23:59:59-01:00", headers: {} },
];
const params = [
  "x",
  "../../etc/passwd",
  "req_" + "a".repeat(300),
  "00000000-0000-0000-0000-000000000000",
  "%00",
  "'; drop table tenants; --",
];

describe("no route answers 500 to bad input", () => {
  it("holds for every route, method, body and parameter", async () => {
    const t = await createGatewayTenant(db(), {
      appUrl: "http://127.0.0.1:1",
      authorizers: [{ name: "default", url: "http://127.0.0.1:9" }],
    });
    const session = await sessionHeaders(t.owner.id);
    const files = routeFiles("app/api").filter((f) => !f.includes("[...nextauth]") && !f.includes("bench"));
    expect(files.length).toBeGreaterThan(30);
    let calls = 0;
    for (const file of files) {
      const route = await import(/* @vite-ignore */ path.resolve(file));
      const names = [...file.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!);
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
        if (!route[method]) continue;
        for (const [b, body] of bodies.entries()) {
          const param = params[b % params.length]!;
          const headers: Record<string, string> = {
            ...bearer(t.apiKey),
            ...session,
            "content-type": "application/json",
          };
          const response = await callRoute(route[method], {
            method,
            path: `/${file}?wait=abc&limit=-1&cursor=%%%`,
            headers,
            body: method === "GET" || method === "DELETE" ? undefined : body,
            params: Object.fromEntries(names.map((n) => [n, param])),
          });
          calls += 1;
          expect(response.status, `${method} ${file} with body #${b}: ${JSON.stringify(response.body)}`).toBeLessThan(
            500,
          );
          if (response.status >= 400) expect(typeof response.body?.error, `${method} ${file} #${b}`).toBe("string");
        }
      }
    }
    for (const file of files) {
      const route = await import(/* @vite-ignore */ path.resolve(file));
      const names = [...file.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!);
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
        if (!route[method]) continue;
        for (const variant of requestVariants) {
          const { "stepauth-tenant-cookie": tenantCookie, ...extra } = variant.headers;
          const cookie = tenantCookie ? `${session.cookie}; stepauth-tenant=${tenantCookie}` : session.cookie!;
          const headers: Record<string, string> = {
            ...bearer(t.apiKey),
            ...session,
            cookie,
            ...extra,
            "content-type": "application/json",
          };
          const body = method === "GET" || method === "DELETE" ? undefined : "{}";
          const request = new Request(`${origin}/${file}${variant.query}`, { method, headers, body });
          const response = await route[method](request, {
            params: Promise.resolve(Object.fromEntries(names.map((n) => [n, "%00"]))),
          });
          const text = await response.text();
          calls += 1;
          expect(
            response.status,
            `${method} ${file}${variant.query} ${JSON.stringify(extra)}: ${text.slice(0, 300)}`,
          ).toBeLessThan(500);
          if (response.status >= 400)
            expect(typeof JSON.parse(text).error, `${method} ${file}${variant.query}`).toBe("string");
        }
      }
    }
    expect(calls).toBeGreaterThan(300);
  }, 120_000);
});
