import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { expect } from "vitest";
import { apiOperations } from "@/lib/http/openapi-operations";
import { errorBodySchema } from "@/lib/http/schemas/responses";
import type { HttpMethod, RouteHandler } from "@/lib/http/api-route";

type Json = Record<string, any>;
type RouteModule = Partial<Record<HttpMethod, RouteHandler>>;

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? routeFiles(full) : name === "route.ts" ? [full] : [];
  });
}

/** Every route file under `dirs` (app-relative), with its OpenAPI path template and its module. */
export async function loadRouteFiles(...dirs: string[]) {
  const files = dirs.flatMap((dir) => routeFiles(path.join("app", dir)));
  return Promise.all(
    files.map(async (file) => ({
      template: "/" + path.dirname(path.relative("app", file)).replace(/\[(\w+)\]/g, "{$1}"),
      module: (await import(path.resolve(file))) as RouteModule,
    })),
  );
}

/** The same routes as startAppServer takes them (`:name` segments). */
export function serverRoutes(routes: { template: string; module: RouteModule }[]) {
  return Object.fromEntries(routes.map((r) => [r.template.replace(/\{(\w+)\}/g, ":$1"), r.module]));
}

const BASE = "https://gateway.test/api/v1/openapi.json";
const pointer = (...segments: string[]) =>
  "#/" + segments.map((s) => s.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

/**
 * A strict JSON Schema 2020-12 validator holding the document at BASE: its schemas are reached by
 * pointer, so the document's own top-level fields are declared as keywords that validate nothing.
 */
export function documentAjv(document: Json) {
  // Formats are advisory in 2020-12; zod also emits a pattern for every format it constrains.
  const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: false });
  ajv.addVocabulary(["openapi", "info", "servers", "components", "webhooks", "paths"]);
  ajv.addSchema({ ...document, $id: BASE });
  return { ajv, base: BASE };
}

/**
 * Checks answers against the served OpenAPI document with a JSON Schema 2020-12 validator (what a
 * client generator reads), and against the zod schema the document was generated from; records which
 * operation answered which status, so a test can prove every operation was exercised.
 */
export function documentChecker(document: Json) {
  const { ajv } = documentAjv(document);
  const compiled = new Map<string, ValidateFunction>();
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    regex: new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`),
  }));
  const seen = new Set<string>();

  const templateOf = (path: string) => {
    const found = templates.find((t) => t.regex.test(new URL(path, "http://x").pathname));
    if (!found) throw new Error(`no documented path matches ${path}`);
    return found.template;
  };

  function schemaPointer(template: string, method: string, status: number): string | null {
    const responses = document.paths[template]?.[method.toLowerCase()]?.responses;
    expect(responses, `${method} ${template} is documented`).toBeDefined();
    const response = responses[String(status)];
    expect(response, `${method} ${template} documents status ${status}`).toBeDefined();
    if (response.$ref) return `${response.$ref}/content/application~1json/schema`;
    if (!response.content) return null;
    return pointer(
      "paths",
      template,
      method.toLowerCase(),
      "responses",
      String(status),
      "content",
      "application/json",
      "schema",
    );
  }

  function validate(where: string, schemaRef: string, body: unknown) {
    let validator = compiled.get(schemaRef);
    if (!validator) compiled.set(schemaRef, (validator = ajv.compile({ $ref: BASE + schemaRef })));
    const ok = validator(body);
    expect(ok ? [] : validator.errors, `${where}: ${JSON.stringify(body).slice(0, 400)}`).toEqual([]);
  }

  return {
    /** An answer: its status documented for the operation, its body valid against the document and the zod schema. */
    response(method: string, path: string, response: { status: number; body: unknown }) {
      const template = templateOf(path);
      const where = `${method} ${template} ${response.status}`;
      const ref = schemaPointer(template, method, response.status);
      if (ref === null) expect(response.body, `${where} has no body`).toBeNull();
      else validate(where, ref, response.body);
      const operation = apiOperations[template]?.[method as HttpMethod];
      const zodSchema = operation?.responses[response.status]?.schema ?? (ref ? errorBodySchema : undefined);
      if (zodSchema) {
        const parsed = zodSchema.safeParse(response.body);
        expect(parsed.success ? [] : parsed.error.issues, `${where} (zod)`).toEqual([]);
      }
      seen.add(where);
    },
    /** A body sent to an operation: valid against its documented request schema. */
    requestBody(method: string, path: string, body: unknown) {
      const template = templateOf(path);
      validate(
        `${method} ${template} request body`,
        pointer("paths", template, method.toLowerCase(), "requestBody", "content", "application/json", "schema"),
        body,
      );
    },
    /** A webhook the gateway delivered: valid against the document's webhook body. */
    webhook(body: unknown) {
      validate(
        "webhook",
        pointer("webhooks", "authorization", "post", "requestBody", "content", "application/json", "schema"),
        body,
      );
    },
    /** "METHOD template status" of every answer checked so far. */
    seen,
  };
}
