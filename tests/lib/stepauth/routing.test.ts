import { describe, expect, it } from "vitest";
import { parseAuthorizationRequest } from "../../../lib/stepauth/request-schema";
import { flattenAuthorizationRequest } from "../../../lib/stepauth/flatten";
import { compileRoutingScript, evaluateRoutingScript, routeFlattenedRequest } from "../../../lib/stepauth/routing";
import { interpretRoutingValue } from "../../../lib/stepauth/routing-result";
import { vectors } from "../../fixtures/vectors";
const request = parseAuthorizationRequest(vectors.authorizationRequest.payload);
const config = { authorizers: ["default", "security-team", "finance"], default: "default" };

describe("routing vectors", () => {
  type RoutingCase = { script: string; authorizers: string[]; default: string; expect: string[]; fallback: boolean };
  it.each(vectors.routing as RoutingCase[])("routes $script", (routingCase) => {
    const routingConfig = { authorizers: routingCase.authorizers, default: routingCase.default };
    const outcome = evaluateRoutingScript(routingCase.script, request, routingConfig);
    expect(outcome.targets).toEqual(routingCase.expect);
    expect(outcome.fallback).toBe(routingCase.fallback);
    // Same answer through the full flattening.
    const viaFull = routeFlattenedRequest(routingCase.script, flattenAuthorizationRequest(request), routingConfig);
    expect(viaFull.targets).toEqual(routingCase.expect);
  });

  it("reports the fallback reason of each failing vector", () => {
    const reasons = vectors.routing
      .filter((c: { fallback: boolean }) => c.fallback)
      .map((c: { script: string; authorizers: string[]; default: string }) => {
        const outcome = evaluateRoutingScript(c.script, request, { authorizers: c.authorizers, default: c.default });
        return outcome.kind === "fallback" ? outcome.reason : outcome.kind;
      });
    expect(reasons).toEqual(["runtime_error", "unknown_authorizer", "empty_list", "not_a_string_list", "syntax_error"]);
  });
});

describe("routing semantics", () => {
  const route = (script: string | null | undefined) => evaluateRoutingScript(script, request, config);

  it("sends to every active authorizer when there is no script", () => {
    for (const script of [undefined, null, "", "  \n"]) {
      expect(route(script)).toEqual({
        kind: "authorizers",
        targets: config.authorizers,
        fallback: false,
        source: "no_script",
      });
    }
  });

  it("decides immediately on $approve / $deny", () => {
    expect(route('["$approve"]')).toMatchObject({ kind: "immediate", decision: "approved", targets: ["$approve"] });
    expect(route('request.principal.type == "agent" ? ["$deny"] : ["default"]')).toMatchObject({
      kind: "immediate",
      decision: "denied",
    });
  });

  it("falls back on mixed or unknown tokens", () => {
    expect(route('["$approve", "default"]')).toMatchObject({
      kind: "fallback",
      reason: "mixed_tokens",
      targets: ["default"],
    });
    expect(route('["$approve", "$deny"]')).toMatchObject({ reason: "mixed_tokens" });
    expect(route('["$maybe"]')).toMatchObject({ reason: "unknown_token" });
  });

  it("falls back on non-string lists and type errors", () => {
    expect(route("[1, 2]")).toMatchObject({ reason: "not_a_string_list" });
    expect(route('{"a": "b"}')).toMatchObject({ reason: "not_a_string_list" });
    expect(route('1 + "a"')).toMatchObject({ kind: "fallback", targets: ["default"] });
    const mistyped = route('request.action.type + 1 == "x" ? ["default"] : ["finance"]');
    expect(mistyped.kind === "fallback" && ["type_error", "runtime_error"].includes(mistyped.reason)).toBe(true);
  });

  it("reads config and de-duplicates names", () => {
    expect(route("[config.default, config.default]")).toMatchObject({ kind: "authorizers", targets: ["default"] });
    expect(route('config.authorizers.filter(a, a != "default")')).toMatchObject({
      targets: ["security-team", "finance"],
    });
  });

  it("never throws, even on hostile input", () => {
    expect(() => route("x".repeat(10_000))).not.toThrow();
    expect(route("x".repeat(10_000))).toMatchObject({ reason: "invalid_script" });
    expect(route("[" + "[".repeat(100) + "]".repeat(100) + "]")).toMatchObject({ kind: "fallback" });
    const broken = { action: null } as never;
    expect(
      evaluateRoutingScript('request.action.type == "x" ? ["default"] : ["finance"]', broken, config),
    ).toMatchObject({
      kind: "fallback",
      reason: "runtime_error",
    });
  });

  it("compiles once per script", () => {
    const script = 'request.action.type == "device.wipe" ? ["finance"] : ["default"]';
    expect(compileRoutingScript(script)).toBe(compileRoutingScript(script));
    expect(compileRoutingScript("[").ok).toBe(false);
  });

  it("interprets values without throwing", () => {
    expect(interpretRoutingValue(["finance", "default"], config)).toMatchObject({ targets: ["finance", "default"] });
    expect(interpretRoutingValue("default", config)).toMatchObject({ reason: "not_a_string_list" });
    expect(interpretRoutingValue(["nobody"], config)).toMatchObject({ reason: "unknown_authorizer" });
  });
});

describe("hostile scripts cannot stall the gateway", () => {
  // Catastrophic backtracking under JavaScript's RegExp (minutes for 48 characters); `matches` runs on RE2.
  const redos = '"' + "a".repeat(48) + 'b".matches("^(a|aa)+$") ? ["finance"] : ["default"]';
  // Still expensive by other means: 8,192² additions through cel.bind doubling and nested map.
  let doubled = "[1, 2]";
  for (let i = 0; i < 12; i++) doubled = `cel.bind(l${i}, ${doubled}, l${i} + l${i})`; // 8,192 elements
  const pairs = `cel.bind(big, ${doubled}, big.map(a, big.map(b, a + b)).size()) > 0 ? ["finance"] : ["default"]`;

  it("matches runs in linear time: a pathological pattern on a long input completes at once", () => {
    const started = performance.now();
    expect(evaluateRoutingScript(redos, request, config, { budgetMs: 1500 })).toMatchObject({
      kind: "authorizers",
      targets: ["default"],
    });
    const long = '"' + "a".repeat(4000) + 'b".matches("^(a+)+$") ? ["finance"] : ["default"]';
    expect(evaluateRoutingScript(long, request, config, { budgetMs: 1500 })).toMatchObject({
      kind: "authorizers",
      targets: ["default"],
    });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("matches keeps CEL's semantics: a partial RE2 match, and an error for what RE2 refuses", () => {
    expect(evaluateRoutingScript('"hello".matches("el+") ? ["finance"] : ["default"]', request, config)).toMatchObject({
      targets: ["finance"],
    });
    expect(evaluateRoutingScript('"hello".matches("^el") ? ["finance"] : ["default"]', request, config)).toMatchObject({
      targets: ["default"],
    });
    // Backreferences are not RE2: the script errors and falls back.
    expect(
      evaluateRoutingScript('"aa".matches("(a)\\\\1") ? ["finance"] : ["default"]', request, config),
    ).toMatchObject({
      kind: "fallback",
      reason: "runtime_error",
    });
  });

  it("a script that would run for seconds falls back on the hard budget", () => {
    const started = performance.now();
    const outcome = evaluateRoutingScript(pairs, request, config, { budgetMs: 50 });
    expect(outcome).toMatchObject({ kind: "fallback", reason: "timeout", targets: ["default"] });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("the same script really runs for seconds when given the time", () => {
    const started = performance.now();
    expect(evaluateRoutingScript(pairs, request, config, { budgetMs: 1500 })).toMatchObject({ reason: "timeout" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1400);
  });

  it("rejects a third level of nested comprehensions outright", () => {
    const list = "[" + Array.from({ length: 60 }, (_, i) => i).join(",") + "]";
    const deep = `${list}.map(a, ${list}.map(b, ${list}.map(c, ${list}.exists(d, a + b + c + d < 0)))).size() > 0 ? ["finance"] : ["default"]`;
    const started = performance.now();
    expect(evaluateRoutingScript(deep, request, config)).toMatchObject({ reason: "invalid_script" });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("doubling through cel.bind stays within the depth limit, and iterating it hits the budget", () => {
    const started = performance.now();
    expect(evaluateRoutingScript(pairs, request, config, { budgetMs: 50 })).toMatchObject({ reason: "timeout" });
    expect(performance.now() - started).toBeLessThan(1000);
    let tooDeep = "[1, 2]";
    for (let i = 0; i < 30; i++) tooDeep = `cel.bind(l${i}, ${tooDeep}, l${i} + l${i})`;
    expect(evaluateRoutingScript(`size(${tooDeep}) > 0 ? ["finance"] : ["default"]`, request, config)).toMatchObject({
      reason: "invalid_script",
    });
  });

  it("evaluates again normally after a timeout", () => {
    evaluateRoutingScript(pairs, request, config, { budgetMs: 20 });
    expect(
      evaluateRoutingScript('["a"].exists(x, x == "a") ? ["finance"] : ["default"]', request, config),
    ).toMatchObject({ targets: ["finance"] });
  });
});
