import { describe, expect, it } from "vitest";
import {
  compileCallbackPattern,
  DEFAULT_POLICY_RULES,
  evaluateSandboxPolicy,
  matchesCallbackPattern,
  policyRulesSchema,
} from "@/lib/sandbox";
import { flattenAuthorizationRequest, parseAuthorizationRequest, type FlattenedRequest } from "@/lib/stepauth";
import { DEMO_ACTIONS, demoAction } from "@/lib/demo/actions";
import { vectors } from "./fixtures";

function flat(body: { principal: unknown; action: unknown }): FlattenedRequest {
  const request = parseAuthorizationRequest({
    ...vectors.authorizationRequest.payload,
    principal: body.principal,
    action: body.action,
  });
  return flattenAuthorizationRequest(request);
}

describe("sandbox policy rules", () => {
  it("decides the overview's four actions as the demo promises", () => {
    const verdicts = Object.fromEntries(
      DEMO_ACTIONS.map((a) => [a.name, evaluateSandboxPolicy(DEFAULT_POLICY_RULES, flat(a.body))]),
    );
    expect(verdicts).toEqual({
      refund: { outcome: "review", rule: "Agents need a human", quorum: 1 },
      wipe: { outcome: "review", rule: "Agents need a human", quorum: 1 },
      "aws-admin": { outcome: "approve", rule: "Time-boxed incident access is granted" },
      wire: { outcome: "review", rule: "Wires of 1,000,000 or more need two reviewers", quorum: 2 },
    });
  });

  it("approves a refund under 100.00 and reads at once, whoever asks", () => {
    const small = structuredClone(demoAction("refund").body);
    small.action.details[0]!.value = "99.99";
    expect(evaluateSandboxPolicy(DEFAULT_POLICY_RULES, flat(small))).toEqual({
      outcome: "approve",
      rule: "Refunds under 100.00 are approved",
    });
    const read = {
      ...demoAction("wipe").body,
      action: { type: "report.read", category: "data.read", summary: "Show the Q3 report." },
    };
    expect(evaluateSandboxPolicy(DEFAULT_POLICY_RULES, flat(read)).outcome).toBe("approve");
  });

  it("takes the first matching rule, skips rules that error at run time, and defaults to one human", () => {
    const rules = [
      { name: "Broken", when: 'request.action.details.nothing_here == "x"', outcome: "approve" as const },
      { name: "Deny wipes", when: 'request.action.type == "device.wipe"', outcome: "deny" as const },
      { name: "Later", when: "true", outcome: "approve" as const },
    ];
    expect(evaluateSandboxPolicy(rules, flat(demoAction("wipe").body))).toEqual({
      outcome: "deny",
      rule: "Deny wipes",
    });
    expect(evaluateSandboxPolicy([], flat(demoAction("wipe").body))).toEqual({
      outcome: "review",
      rule: null,
      quorum: 1,
    });
    expect(
      evaluateSandboxPolicy(
        [{ name: "Not a bool", when: "request.action.type", outcome: "approve" }],
        flat(demoAction("wipe").body),
      ).outcome,
    ).toBe("review");
  });

  it("refuses to save rules that do not compile or misuse a quorum", () => {
    expect(policyRulesSchema.safeParse(DEFAULT_POLICY_RULES).success).toBe(true);
    expect(
      policyRulesSchema.safeParse([{ name: "x", when: "request.action.type ==", outcome: "approve" }]).success,
    ).toBe(false);
    expect(policyRulesSchema.safeParse([{ name: "x", when: "true", outcome: "approve", quorum: 2 }]).success).toBe(
      false,
    );
    expect(policyRulesSchema.safeParse([{ name: "x", when: "true", outcome: "review", quorum: 9 }]).success).toBe(
      false,
    );
  });
});

describe("costly policy rules cannot stall the sandbox", () => {
  const wipe = demoAction("wipe").body;

  it("fifty backtracking-pattern rules on a long summary are evaluated in full, at once (RE2)", () => {
    const body = { ...wipe, action: { ...wipe.action, summary: "a".repeat(3999) + "b" } };
    const regexRule = {
      name: "Backtracking",
      when: 'request.action.summary.matches("^(a+)+$")',
      outcome: "deny" as const,
    };
    const rules = [
      ...Array.from({ length: 50 }, () => regexRule),
      { name: "Last", when: "true", outcome: "approve" as const },
    ];
    const request = flat(body);
    const started = performance.now();
    // Given a whole second, the fifty rules still finish in a fraction of it (JavaScript's RegExp: forever).
    expect(evaluateSandboxPolicy(rules, request, { budgetMs: 1000 })).toEqual({ outcome: "approve", rule: "Last" });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("fifty rules that each run for seconds share one budget per request, and a human decides", () => {
    let doubled = "[1, 2]";
    for (let i = 0; i < 12; i++) doubled = `cel.bind(l${i}, ${doubled}, l${i} + l${i})`;
    const costly = `cel.bind(big, ${doubled}, big.map(a, big.map(b, a + b)).size()) == 0`;
    const rules = [
      ...Array.from({ length: 49 }, (_, i) => ({ name: `Costly ${i}`, when: costly, outcome: "approve" as const })),
      { name: "Two people", when: "true", outcome: "review" as const, quorum: 2 },
    ];
    const request = flat(wipe);
    const started = performance.now();
    expect(evaluateSandboxPolicy(rules, request)).toEqual({ outcome: "review", rule: null, quorum: 2 });
    expect(performance.now() - started).toBeLessThan(500);
    // Cheap rules are untouched by the budget, and the engine works normally afterwards.
    expect(evaluateSandboxPolicy(DEFAULT_POLICY_RULES, flat(demoAction("wire").body))).toMatchObject({
      outcome: "review",
      quorum: 2,
    });
  });
});

describe("callback URL patterns", () => {
  it("lets * stand for one path segment and nothing else", () => {
    const matches = compileCallbackPattern("https://gw.example/api/stepauth/callback/*");
    expect(matches("https://gw.example/api/stepauth/callback/3f2a-11")).toBe(true);
    expect(matches("https://gw.example/api/stepauth/callback/3f2a/x")).toBe(false);
    expect(matches("https://gw.example/api/stepauth/callback/")).toBe(false);
    expect(matches("https://gw.example.evil.test/api/stepauth/callback/1")).toBe(false);
    expect(matches("https://gw.example/api/stepauth/callback/1?x=https://gw.example")).toBe(false);
    expect(matchesCallbackPattern("https://a.example/cb", "https://a.example/cb")).toBe(true);
    expect(matchesCallbackPattern("https://a.example/cb", "https://a.example/cbx")).toBe(false);
    expect(matchesCallbackPattern(null, "https://a.example/cb")).toBe(false);
  });
});
