import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as openapi from "@/app/api/v1/openapi.json/route";
import { callRoute } from "../../setup/http";

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? routeFiles(full) : name === "route.ts" ? [full] : [];
  });
}

describe("OpenAPI document", () => {
  it("is served as JSON and describes every public route that exists", async () => {
    const response = await callRoute(openapi.GET);
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe("3.1.0");
    const documented = Object.keys(response.body.paths);
    const onDisk = routeFiles("app/api/v1")
      .map((f) => "/" + path.dirname(path.relative("app", f)).replace(/\[(\w+)\]/g, "{$1}"))
      .filter((p) => !p.endsWith("openapi.json"));
    expect(onDisk.length).toBeGreaterThan(10);
    expect(onDisk.filter((p) => !documented.includes(p))).toEqual([]);
  });
});
