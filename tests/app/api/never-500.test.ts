import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../../setup/database";
import { createGatewayTenant } from "../../setup/gateway";
import { bearer, callRoute, sessionHeaders } from "../../setup/http";

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
  undefined, "", "null", "[]", "42", '"text"', "{not json", '{"a":', JSON.stringify(deep),
  JSON.stringify({ principal: "x", action: [], name: { $ne: 1 }, scopes: "admin", role: 7, status: ["approved"] }),
  JSON.stringify({ payload: "!!!", signatures: [{ algorithm: "ed25519", keyId: "k", signature: "%%" }] }),
  JSON.stringify({ routingScript: "[".repeat(5000), script: "a".repeat(100_000), request: { principal: {}, action: {} } }),
  JSON.stringify({ endpoint: "http://169.254.169.254/latest", webhookUrl: "file:///etc/passwd", publicKeys: [{ keyId: "", publicKey: "AAAA" }] }),
  "\u0000\uFFFF",
];
const params = ["x", "../../etc/passwd", "req_" + "a".repeat(300), "00000000-0000-0000-0000-000000000000", "%00", "'; drop table tenants; --"];

describe("no route answers 500 to bad input", () => {
  it("holds for every route, method, body and parameter", async () => {
    const t = await createGatewayTenant(db(), { appUrl: "http://127.0.0.1:1", authorizers: [{ name: "default", url: "http://127.0.0.1:9" }] });
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
          const headers: Record<string, string> = { ...bearer(t.apiKey), ...session, "content-type": "application/json" };
          const response = await callRoute(route[method], { method, path: `/${file}?wait=abc&limit=-1&cursor=%%%`, headers, body: method === "GET" || method === "DELETE" ? undefined : body, params: Object.fromEntries(names.map((n) => [n, param])) });
          calls += 1;
          expect(response.status, `${method} ${file} with body #${b}: ${JSON.stringify(response.body)}`).toBeLessThan(500);
          if (response.status >= 400) expect(typeof response.body?.error, `${method} ${file} #${b}`).toBe("string");
        }
      }
    }
    expect(calls).toBeGreaterThan(300);
  }, 120_000);
});
