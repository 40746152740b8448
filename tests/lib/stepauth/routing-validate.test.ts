import { describe, expect, it } from "vitest";
import { validateRoutingScript } from "../../../lib/stepauth/routing-validate";

const authorizers = ["default", "security-team", "primary", "backup", "finance-authorizer"];

describe("validateRoutingScript", () => {
  it("accepts the guide's examples with their result type", () => {
    const scripts = [
      'request.action.category.startsWith("infra.")\n  ? ["security-team"]\n  : ["default"]',
      'request.principal.type == "agent"\n  ? ["primary", "backup"]\n  : ["primary"]',
      'request.principal.attributes.department == "Finance"\n  ? ["finance-authorizer"]\n  : ["default"]',
      'request.action.category == "data.read"\n  ? ["$approve"]\n  : ["default"]',
    ];
    for (const script of scripts)
      expect(validateRoutingScript(script, { authorizers })).toEqual({ ok: true, resultType: "list<string>" });
  });

  it("reports syntax errors with line and column", () => {
    const result = validateRoutingScript(
      'request.action.category.startsWith("infra.")\n  ? ["security-team"]\n  : ["default"',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ code: "syntax_error", line: 3, column: 15 });
  });

  it("rejects scripts over 4 KB, empty scripts and structural limit violations", () => {
    expect(validateRoutingScript(`["default"] ${" ".repeat(4096)}`)).toMatchObject({
      ok: false,
      issues: [{ code: "script_too_long" }],
    });
    expect(validateRoutingScript("  ")).toMatchObject({ ok: false, issues: [{ code: "empty_script" }] });
    const deep = "[".repeat(40) + "]".repeat(40);
    expect(validateRoutingScript(deep)).toMatchObject({ ok: false, issues: [{ code: "limit_exceeded" }] });
    const wide = "[" + Array.from({ length: 65 }, () => '"a"').join(",") + "]";
    expect(validateRoutingScript(wide)).toMatchObject({ ok: false, issues: [{ code: "limit_exceeded" }] });
  });

  it("rejects comprehensions nested three deep, pointing at the innermost", () => {
    const script = "[1].map(a,\n  [2].map(b,\n    [3].map(c, a + b + c)))";
    const result = validateRoutingScript(script);
    expect(result).toMatchObject({ ok: false, issues: [{ code: "comprehension_too_deep", line: 3 }] });
  });

  it("rejects result types the checker can tell are wrong", () => {
    expect(validateRoutingScript('"default"')).toMatchObject({ ok: false, issues: [{ code: "wrong_result_type" }] });
    expect(validateRoutingScript("1 + 2")).toMatchObject({ ok: false, issues: [{ code: "wrong_result_type" }] });
    expect(validateRoutingScript('request.a == "x"')).toMatchObject({
      ok: false,
      issues: [{ code: "wrong_result_type" }],
    });
    expect(validateRoutingScript('1 + "a"')).toMatchObject({ ok: false, issues: [{ code: "type_error", column: 1 }] });
    // `dyn` results cannot be judged statically; runtime falls back if they are wrong.
    expect(validateRoutingScript("request.action.type")).toMatchObject({ ok: true, resultType: "dyn" });
  });

  it("flags literal names that are not authorizers, unknown tokens and mixed tokens", () => {
    const result = validateRoutingScript(
      'request.principal.type == "agent"\n  ? ["$approve", "default"]\n  : ["nobody", "$later"]',
      { authorizers },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.code, i.line])).toEqual([
      ["mixed_tokens", 2],
      ["mixed_tokens", 3],
      ["unknown_authorizer", 3],
      ["unknown_token", 3],
    ]);
  });
});
