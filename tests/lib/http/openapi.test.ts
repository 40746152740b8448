import { describe, expect, it } from "vitest";
import * as openapi from "@/app/api/v1/openapi.json/route";
import { errorStatus } from "@/lib/errors/app-error";
import { httpMethods } from "@/lib/http/api-route";
import { openApiDocument } from "@/lib/http/openapi";
import { setupTestDatabase } from "../../setup/database";
import { callRoute } from "../../setup/http";
import { documentAjv, documentChecker, loadRouteFiles } from "./openapi-validator";

setupTestDatabase();

const document = openApiDocument as unknown as {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string }> }>>;
  components: { schemas: Record<string, object> };
};

describe("OpenAPI document", () => {
  it("is served as JSON, OpenAPI 3.1", async () => {
    const response = await callRoute(openapi.GET);
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe("3.1.0");
    expect(response.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });

  it("has a path for every route file under app/api/v1 and the callback, with exactly the methods each implements", async () => {
    const routes = await loadRouteFiles("api/v1", "api/stepauth");
    expect(routes.length).toBeGreaterThan(10);
    const implemented: Record<string, string[]> = {};
    for (const { template, module } of routes) {
      // apiRoute answers a method it was not given with 405; any other answer (401, 404, 200) means a handler ran.
      for (const method of httpMethods) {
        const answer = await callRoute(module[method]!, { method, path: template });
        if (answer.status !== 405) (implemented[template] ??= []).push(method.toLowerCase());
      }
    }
    const documented = Object.fromEntries(
      Object.entries(document.paths).map(([path, methods]) => [path, Object.keys(methods).sort()]),
    );
    expect(documented).toEqual(Object.fromEntries(Object.entries(implemented).map(([p, m]) => [p, m.sort()])));
  });

  it("is valid JSON Schema 2020-12 throughout, and names an error code for every error status it lists", () => {
    // Strict: an unknown keyword, a dangling $ref or an invalid schema throws when compiled.
    const { ajv, base } = documentAjv(document);
    for (const name of Object.keys(document.components.schemas))
      expect(() => ajv.getSchema(`${base}#/components/schemas/${name}`), name).not.toThrow();
    const errorStatuses = new Set(Object.values(errorStatus));
    for (const [path, methods] of Object.entries(document.paths))
      for (const [method, { responses }] of Object.entries(methods))
        for (const [status, response] of Object.entries(responses))
          if (response.$ref === "#/components/responses/Error")
            expect(errorStatuses.has(Number(status) as never), `${method} ${path} ${status}`).toBe(true);
  });

  it("refuses what the code might answer without the document saying so (the conformance test can fail)", () => {
    const check = documentChecker(openApiDocument);
    const path = "/api/v1/audit/verify";
    const report = { ok: true, entriesChecked: 1, checkpointsChecked: 1, unsealedEntries: 0, purgedEntries: 0 };
    check.response("GET", path, { status: 200, body: report });
    // A field the code added without describing it, a wrong type, an undocumented status, an unknown error code.
    expect(() => check.response("GET", path, { status: 200, body: { ...report, extra: 1 } })).toThrow();
    expect(() => check.response("GET", path, { status: 200, body: { ...report, ok: "yes" } })).toThrow();
    expect(() => check.response("GET", path, { status: 201, body: report })).toThrow();
    expect(() => check.response("GET", path, { status: 400, body: { error: "no_such_code", message: "?" } })).toThrow();
    expect(() => check.response("GET", "/api/v1/nowhere", { status: 200, body: {} })).toThrow();
  });
});
