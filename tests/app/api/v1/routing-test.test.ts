import { beforeAll, describe, expect, it } from "vitest";
import * as apiKeyCollection from "@/app/api/v1/api-keys/route";
import * as authorizerItem from "@/app/api/v1/authorizers/[name]/route";
import * as routingTest from "@/app/api/v1/routing/test/route";
import { bearer, callRoute } from "../../../setup/http";
import { createTestTenant, setupTestDatabase, type TestTenant } from "../../../setup/database";
import { createAuthorizerThroughApi } from "./authorizer-fixtures";

const db = setupTestDatabase();

const dryRun = (apiKey: string, script: string, request: unknown) =>
  callRoute(routingTest.POST, { method: "POST", headers: bearer(apiKey), json: { script, request } });

const human = (attributes: { key: string; label: string; value: string }[] = []) => ({ type: "human", attributes });
const action = (category: string) => ({
  type: "device.wipe",
  category,
  summary: "If approved, the laptop will be wiped.",
});
const agent = { type: "agent", attributes: [{ key: "name", label: "Agent", value: "ops-bot" }], operator: human() };

// The guide's four examples (overview §4), each with a request that takes either branch.
const samples = [
  {
    script: 'request.action.category.startsWith("infra.")\n  ? ["security-team"]\n  : ["default"]',
    cases: [
      [{ principal: human(), action: action("infra.destroy") }, ["security-team"]],
      [{ principal: human(), action: action("data.export") }, ["default"]],
    ],
  },
  {
    script: 'request.principal.type == "agent"\n  ? ["primary", "backup"]\n  : ["primary"]',
    cases: [
      [{ principal: agent, action: action("data.export") }, ["primary", "backup"]],
      [{ principal: human(), action: action("data.export") }, ["primary"]],
    ],
  },
  {
    script: 'request.principal.attributes.department == "Finance"\n  ? ["finance-authorizer"]\n  : ["default"]',
    cases: [
      [
        {
          principal: human([{ key: "department", label: "Department", value: "Finance" }]),
          action: action("financial.transfer"),
        },
        ["finance-authorizer"],
      ],
      [
        {
          principal: human([{ key: "department", label: "Department", value: "Engineering" }]),
          action: action("financial.transfer"),
        },
        ["default"],
      ],
    ],
  },
] as const;

describe("POST /api/v1/routing/test", () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await createTestTenant(db());
    for (const name of ["default", "security-team", "primary", "backup", "finance-authorizer"])
      await createAuthorizerThroughApi(t.apiKey, name);
  });

  it("routes the guide's examples with the tenant's authorizers as config", async () => {
    for (const { script, cases } of samples) {
      for (const [request, targets] of cases) {
        const response = await dryRun(t.apiKey, script, request);
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ targets, fallback: false, issues: [] });
        expect(response.body.config).toEqual({
          authorizers: ["default", "security-team", "primary", "backup", "finance-authorizer"],
          default: "default",
        });
        expect(response.body).not.toHaveProperty("note");
      }
    }
  });

  it("reports immediate decisions", async () => {
    const script = 'request.action.category == "data.read"\n  ? ["$approve"]\n  : ["default"]';
    const immediate = await dryRun(t.apiKey, script, { principal: human(), action: action("data.read") });
    expect(immediate.body).toMatchObject({ targets: ["$approve"], immediate: "approved", fallback: false, issues: [] });
    const routed = await dryRun(t.apiKey, script, { principal: human(), action: action("data.delete") });
    expect(routed.body).toMatchObject({ targets: ["default"], fallback: false });
    expect(routed.body).not.toHaveProperty("immediate");
  });

  it("answers a fallback to the default, with positioned issues, for broken and hostile scripts", async () => {
    const request = { principal: human(), action: action("data.read") };
    const broken = await dryRun(t.apiKey, '["default"', request);
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({
      targets: ["default"],
      fallback: true,
      fallbackReason: "syntax_error",
      message: expect.any(String),
    });
    expect(broken.body.issues[0]).toMatchObject({ code: "syntax_error", line: 1, column: expect.any(Number) });

    const unknown = await dryRun(t.apiKey, '["nobody"]', request);
    expect(unknown.body).toMatchObject({ targets: ["default"], fallback: true, fallbackReason: "unknown_authorizer" });
    expect(unknown.body.issues).toEqual([expect.objectContaining({ code: "unknown_authorizer", line: 1, column: 2 })]);

    const list = "[" + Array.from({ length: 60 }, (_, i) => i).join(",") + "]";
    const nested = `${list}.map(a,\n ${list}.map(b,\n  ${list}.map(c,\n   ${list}.exists(d, a + b + c + d < 0)))).size() > 0 ? ["primary"] : ["default"]`;
    let doubled = "[1, 2]";
    for (let i = 0; i < 12; i++) doubled = `cel.bind(l${i}, ${doubled}, l${i} + l${i})`; // 8,192 elements
    const pairs = `cel.bind(big, ${doubled}, big.map(a, big.map(b, a + b)).size()) > 0 ? ["primary"] : ["default"]`;
    const deepList = "[".repeat(500) + "]".repeat(500);
    // The quadratic script is statically fine (no issues) and only the evaluation budget stops it.
    for (const [script, reason, issueCode] of [
      [nested, "invalid_script", "comprehension_too_deep"],
      [pairs, "timeout", undefined],
      [deepList, "invalid_script", "limit_exceeded"],
      ["x".repeat(10_000), "invalid_script", "script_too_long"],
    ] as const) {
      const started = performance.now();
      const response = await dryRun(t.apiKey, script, request);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ targets: ["default"], fallback: true, fallbackReason: reason });
      expect(response.body.issues.map((i: any) => i.code)).toEqual(issueCode ? [issueCode] : []);
      expect(performance.now() - started).toBeLessThan(2000);
    }
    // A backtracking pattern is harmless: `matches` runs on RE2, in linear time.
    const redos = '"' + "a".repeat(4000) + 'b".matches("^(a+)+$") ? ["primary"] : ["default"]';
    const started = performance.now();
    const linear = (await dryRun(t.apiKey, redos, request)).body;
    expect(linear, JSON.stringify(linear)).toMatchObject({ targets: ["default"], fallback: false });
    expect(performance.now() - started).toBeLessThan(1000);
    const deepIssue = (await dryRun(t.apiKey, nested, request)).body.issues[0];
    expect(deepIssue).toMatchObject({ code: "comprehension_too_deep", line: 4 }); // the innermost of four
  });

  it("leaves disabled authorizers out of config", async () => {
    const other = await createTestTenant(db());
    await createAuthorizerThroughApi(other.apiKey, "main");
    await createAuthorizerThroughApi(other.apiKey, "paused");
    await callRoute(authorizerItem.PATCH, {
      method: "PATCH",
      headers: bearer(other.apiKey),
      params: { name: "paused" },
      json: { enabled: false },
    });
    const response = await dryRun(other.apiKey, '["paused"]', { principal: human(), action: action("data.read") });
    expect(response.body).toMatchObject({
      config: { authorizers: ["main"], default: "main" },
      targets: ["main"],
      fallbackReason: "unknown_authorizer",
    });
  });

  it("uses a placeholder config, and says so, when the tenant has no authorizers", async () => {
    const empty = await createTestTenant(db());
    const response = await dryRun(empty.apiKey, '["default"]', { principal: human(), action: action("data.read") });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      targets: ["default"],
      fallback: false,
      config: { authorizers: ["default"], default: "default" },
    });
    expect(response.body.note).toMatch(/no authorizers/);
    const noScript = await dryRun(empty.apiKey, "", { principal: human(), action: action("data.read") });
    expect(noScript.body).toMatchObject({ targets: ["default"], fallback: false, source: "no_script", issues: [] });
  });

  it("refuses invalid sample requests with 400", async () => {
    const chain = (depth: number): object =>
      depth === 0 ? human() : { type: "agent", attributes: [], operator: chain(depth - 1) };
    let deep: unknown = { key: "x", label: "x", value: "leaf" };
    for (let i = 0; i < 200; i++) deep = { key: "x", label: "x", value: [deep] };
    for (const request of [
      { principal: human(), action: { type: "device.wipe", summary: "   " } },
      { principal: { type: "human", attributes: [], operator: human() }, action: action("data.read") },
      { principal: chain(5), action: action("data.read") },
      { principal: human(), action: { ...action("data.read"), details: [deep] } },
      { principal: human(), action: action("data.read"), requestId: "req_chosen_by_caller_000" },
      null,
    ]) {
      const response = await dryRun(t.apiKey, '["default"]', request);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe("validation_failed");
    }
    const missing = await callRoute(routingTest.POST, {
      method: "POST",
      headers: bearer(t.apiKey),
      json: { script: '["default"]' },
    });
    expect(missing.status).toBe(400);
  });

  it("refuses keys without the admin scope with 403 insufficient_scope", async () => {
    const limitedKey = await callRoute(apiKeyCollection.POST, {
      method: "POST",
      headers: bearer(t.apiKey),
      json: { name: "submitter", scopes: ["requests:write"] },
    });
    const response = await dryRun(limitedKey.body.secret, '["default"]', {
      principal: human(),
      action: action("data.read"),
    });
    expect(response.status).toBe(403);
    expect(response.body.error).toBe("insufficient_scope");
  });
});
