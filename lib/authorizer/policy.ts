/**
 * The sandbox's policy engine: per registered SP, ordered rules written in CEL over the same
 * flattened request routing scripts see (`request.action.details.amount`), first match wins,
 * and anything unmatched goes to human review. A rule that fails to compile or errors at run time
 * (say, a missing detail) does not match; it never decides.
 */
import vm from "node:vm";
import { z } from "zod";
import type { SandboxPolicyRule } from "@/db/schema";
import { compileRoutingScript, type FlattenedRequest } from "@/lib/stepauth";

/** Hard budget for a rule that may be costly (comprehensions, `matches`). */
const RULE_BUDGET_MS = 50;
/** Most reviewers a quorum may require. */
export const MAX_QUORUM = 5;

/**
 * One rule as saved: a name, a CEL condition, and what a match decides.
 *
 * @example
 * ```ts
 * policyRuleSchema.parse({ name: "Reads", when: 'request.action.category == "data.read"', outcome: "approve" });
 * ```
 */
export const policyRuleSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    when: z.string().min(1).max(4096),
    outcome: z.enum(["approve", "deny", "review"]),
    quorum: z.int().min(1).max(MAX_QUORUM).optional(),
  })
  .superRefine((rule, ctx) => {
    const compiled = compileRoutingScript(rule.when);
    if (!compiled.ok) ctx.addIssue({ code: "custom", path: ["when"], message: `${compiled.reason}: ${compiled.message}` });
    if (rule.quorum !== undefined && rule.outcome !== "review") ctx.addIssue({ code: "custom", path: ["quorum"], message: "only review rules take a quorum" });
  });

/** Ordered rules, at most 50. */
export const policyRulesSchema = z.array(policyRuleSchema).max(50);

/** What the policy decided for one request. */
export type PolicyVerdict =
  | { outcome: "approve" | "deny"; rule: string }
  | { outcome: "review"; rule: string | null; quorum: number };

const budgetContext = vm.createContext({ run: (): unknown => undefined });
const budgetScript = new vm.Script("run()");

function ruleMatches(rule: SandboxPolicyRule, request: FlattenedRequest): boolean {
  const compiled = compileRoutingScript(rule.when);
  if (!compiled.ok) return false;
  const variables = { request, config: {} };
  try {
    if (!compiled.needsTimeBudget) return compiled.evaluate(variables) === true;
    budgetContext.run = () => compiled.evaluate(variables);
    try {
      return budgetScript.runInContext(budgetContext, { timeout: RULE_BUDGET_MS }) === true;
    } finally {
      budgetContext.run = () => undefined;
    }
  } catch {
    return false;
  }
}

/**
 * Evaluates the ordered rules; the first whose condition is `true` decides. No match → human
 * review by one reviewer (the sandbox's default).
 *
 * @example
 * ```ts
 * evaluateSandboxPolicy(
 *   [{ name: "Agents", when: 'request.principal.type == "agent"', outcome: "review" }],
 *   flattenAuthorizationRequest(request),
 * ); // { outcome: "review", rule: "Agents", quorum: 1 }
 * ```
 */
export function evaluateSandboxPolicy(rules: readonly SandboxPolicyRule[], request: FlattenedRequest): PolicyVerdict {
  for (const rule of rules) {
    if (!ruleMatches(rule, request)) continue;
    if (rule.outcome === "review") return { outcome: "review", rule: rule.name, quorum: Math.min(Math.max(rule.quorum ?? 1, 1), MAX_QUORUM) };
    return { outcome: rule.outcome, rule: rule.name };
  }
  return { outcome: "review", rule: null, quorum: 1 };
}

/**
 * The rules a new registration starts with: the overview's examples. Reads and small refunds
 * pass at once, time-boxed incident access is granted, wires of a million or more need two
 * reviewers, and everything an agent asks for goes to a human.
 *
 * @example
 * ```ts
 * registerSandboxSp(db, ctx, { ..., policyRules: DEFAULT_POLICY_RULES });
 * ```
 */
export const DEFAULT_POLICY_RULES: SandboxPolicyRule[] = [
  { name: "Reads are approved", when: 'request.action.category == "data.read"', outcome: "approve" },
  {
    name: "Refunds under 100.00 are approved",
    when: 'request.action.type == "payment.refund" && has(request.action.details.amount) && double(request.action.details.amount) < 100.0',
    outcome: "approve",
  },
  {
    name: "Wires of 1,000,000 or more need two reviewers",
    when: 'request.action.category == "financial.transfer" && has(request.action.details.amount) && double(request.action.details.amount) >= 1000000.0',
    outcome: "review",
    quorum: 2,
  },
  {
    name: "Time-boxed incident access is granted",
    when: 'request.action.category == "identity.escalate" && request.principal.type == "human" && has(request.action.details.incident)',
    outcome: "approve",
  },
  { name: "Agents need a human", when: 'request.principal.type == "agent"', outcome: "review" },
];
