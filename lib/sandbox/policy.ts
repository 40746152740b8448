/**
 * The sandbox's policy engine: per registered SP, ordered rules written in CEL over the same
 * flattened request routing scripts see (`request.action.details.amount`), first match wins,
 * and anything unmatched goes to human review. A rule that fails to compile or errors at run time
 * (say, a missing detail) does not match; it never decides. All rules of one request share one
 * time budget, so fifty costly rules cost one budget, not fifty; when it runs out, the request goes
 * to human review (never an automatic approval).
 */
import vm from "node:vm";
import { z } from "zod";
import type { SandboxPolicyRule } from "@/db/schema";
import { compileRoutingScript, discardCompiledScript, type FlattenedRequest } from "@/lib/stepauth";

/** Hard budget for all the rules of one request together, in milliseconds. */
export const POLICY_BUDGET_MS = 50;
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
    if (!compiled.ok)
      ctx.addIssue({ code: "custom", path: ["when"], message: `${compiled.reason}: ${compiled.message}` });
    if (rule.quorum !== undefined && rule.outcome !== "review")
      ctx.addIssue({ code: "custom", path: ["quorum"], message: "only review rules take a quorum" });
  });

/** Ordered rules, at most 50. */
export const policyRulesSchema = z.array(policyRuleSchema).max(50);

/** What the policy decided for one request. */
export type PolicyVerdict =
  { outcome: "approve" | "deny"; rule: string } | { outcome: "review"; rule: string | null; quorum: number };

const budgetContext = vm.createContext({ run: (): unknown => undefined });
const budgetScript = new vm.Script("run()");

function ruleMatches(rule: SandboxPolicyRule, request: FlattenedRequest): boolean {
  const compiled = compileRoutingScript(rule.when);
  if (!compiled.ok) return false;
  try {
    return compiled.evaluate({ request, config: {} }) === true;
  } catch {
    return false;
  }
}

function verdictOf(rule: SandboxPolicyRule): PolicyVerdict {
  if (rule.outcome === "review")
    return { outcome: "review", rule: rule.name, quorum: Math.min(Math.max(rule.quorum ?? 1, 1), MAX_QUORUM) };
  return { outcome: rule.outcome, rule: rule.name };
}

/** Options for {@link evaluateSandboxPolicy}. */
export interface PolicyOptions {
  /** Budget for all rules together; default {@link POLICY_BUDGET_MS}. */
  budgetMs?: number;
}

/**
 * Evaluates the ordered rules; the first whose condition is `true` decides. No match → human
 * review by one reviewer (the sandbox's default). Rules that may be costly run under one budget
 * shared by the whole request; if it runs out, the request goes to review by the largest quorum
 * any rule not yet ruled out asks for.
 *
 * @example
 * ```ts
 * evaluateSandboxPolicy(
 *   [{ name: "Agents", when: 'request.principal.type == "agent"', outcome: "review" }],
 *   flattenAuthorizationRequest(request),
 * ); // { outcome: "review", rule: "Agents", quorum: 1 }
 * ```
 */
export function evaluateSandboxPolicy(
  rules: readonly SandboxPolicyRule[],
  request: FlattenedRequest,
  options?: PolicyOptions,
): PolicyVerdict {
  const costly = rules.some((rule) => {
    const compiled = compileRoutingScript(rule.when);
    return compiled.ok && compiled.needsTimeBudget;
  });
  let reached = 0;
  const evaluateAll = (): PolicyVerdict | null => {
    for (; reached < rules.length; reached++)
      if (ruleMatches(rules[reached]!, request)) return verdictOf(rules[reached]!);
    return null;
  };
  let verdict: PolicyVerdict | null;
  if (!costly) verdict = evaluateAll();
  else {
    budgetContext.run = evaluateAll;
    try {
      verdict = budgetScript.runInContext(budgetContext, {
        timeout: options?.budgetMs ?? POLICY_BUDGET_MS,
      }) as PolicyVerdict | null;
    } catch {
      // Out of time at rule `reached`: it and the rules after it are unknown, so a human decides.
      discardCompiledScript(rules[reached]?.when ?? "");
      const quorums = rules.slice(reached).map((rule) => (rule.outcome === "review" ? (rule.quorum ?? 1) : 1));
      return { outcome: "review", rule: null, quorum: Math.min(Math.max(1, ...quorums), MAX_QUORUM) };
    } finally {
      budgetContext.run = () => undefined;
    }
  }
  return verdict ?? { outcome: "review", rule: null, quorum: 1 };
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
