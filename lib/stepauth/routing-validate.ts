/**
 * Save-time validation of routing scripts for the console editor: size, syntax, structural limits,
 * comprehension nesting, the result type where the checker can tell, and the literal authorizer
 * names a script can return. Every issue carries a code and a 1-based line/column.
 */
import { Buffer } from "node:buffer";
import type { ASTNode } from "@marcbachmann/cel-js";
import {
  describeScript,
  positionAt,
  ROUTING_SCRIPT_LIMITS,
  routingEnvironment,
  type SourcePosition,
} from "./routing-script";
import { IMMEDIATE_TOKENS } from "./routing-result";

/** Why a script cannot be saved. */
export type RoutingScriptIssueCode =
  | "empty_script"
  | "script_too_long"
  | "syntax_error"
  | "limit_exceeded"
  | "comprehension_too_deep"
  | "type_error"
  | "wrong_result_type"
  | "unknown_authorizer"
  | "unknown_token"
  | "mixed_tokens";

/** One problem, positioned for the editor. */
export interface RoutingScriptIssue extends SourcePosition {
  code: RoutingScriptIssueCode;
  message: string;
}

/** Outcome of {@link validateRoutingScript}. */
export type RoutingScriptValidation = { ok: true; resultType: string } | { ok: false; issues: RoutingScriptIssue[] };

/** Result types the checker may infer for a script that returns `list(string)`. */
const ACCEPTED_RESULT_TYPES: ReadonlySet<string> = new Set(["list<string>", "list", "list<dyn>", "list<T>", "dyn"]);

function issue(script: string, code: RoutingScriptIssueCode, message: string, offset = 0): RoutingScriptValidation {
  return { ok: false, issues: [{ code, message, ...positionAt(script, offset) }] };
}

// The list literals a script can return: the root, or either branch of a (nested) ternary.
function returnedLists(node: ASTNode): ASTNode[] {
  if (node.op === "list") return [node];
  if (node.op === "?:") return [...returnedLists(node.args[1]), ...returnedLists(node.args[2])];
  return [];
}

function literalNameIssues(script: string, root: ASTNode, authorizers: readonly string[]): RoutingScriptIssue[] {
  const issues: RoutingScriptIssue[] = [];
  for (const list of returnedLists(root)) {
    const literals = (list.args as ASTNode[]).filter((el) => el.op === "value" && typeof el.args === "string");
    const tokens = literals.filter((el) => (el.args as string).startsWith("$"));
    if (tokens.length > 0 && (list.args as ASTNode[]).length > 1) {
      issues.push({
        code: "mixed_tokens",
        message: "a $ token must be the only element",
        ...positionAt(script, list.start),
      });
    }
    for (const el of literals) {
      const name = el.args as string;
      if (name.startsWith("$") && !Object.hasOwn(IMMEDIATE_TOKENS, name)) {
        issues.push({ code: "unknown_token", message: `unknown token ${name}`, ...positionAt(script, el.start) });
      } else if (!name.startsWith("$") && !authorizers.includes(name)) {
        issues.push({
          code: "unknown_authorizer",
          message: `no authorizer named "${name}"`,
          ...positionAt(script, el.start),
        });
      }
    }
  }
  return issues;
}

/**
 * Validates a routing script before it is saved. Pass the tenant's authorizer names to also check
 * the literal names the script returns.
 *
 * @example
 * ```ts
 * const result = validateRoutingScript('request.action.category.startsWith("infra.")\n  ? ["security-team"]\n  : ["default"', {
 *   authorizers: ["default", "security-team"],
 * });
 * if (!result.ok) result.issues[0]; // { code: "syntax_error", line: 3, column: 15, … }
 * ```
 */
export function validateRoutingScript(
  script: string,
  options: { authorizers?: readonly string[] } = {},
): RoutingScriptValidation {
  if (typeof script !== "string" || script.trim() === "") return issue("", "empty_script", "script is empty");
  if (Buffer.byteLength(script) > ROUTING_SCRIPT_LIMITS.maxScriptBytes) {
    return issue(
      script,
      "script_too_long",
      `script exceeds ${ROUTING_SCRIPT_LIMITS.maxScriptBytes} bytes`,
      ROUTING_SCRIPT_LIMITS.maxScriptBytes,
    );
  }
  let root: ASTNode;
  try {
    root = routingEnvironment.parse(script).ast;
  } catch (error) {
    const err = error as { code?: string; summary?: string; message?: string; range?: { start: number } };
    const code = err.code === "limit_exceeded" ? "limit_exceeded" : "syntax_error";
    return issue(script, code, err.summary ?? err.message ?? "invalid script", err.range?.start ?? 0);
  }
  const shape = describeScript(root);
  if (shape.comprehensionNesting > ROUTING_SCRIPT_LIMITS.maxComprehensionNesting) {
    return issue(
      script,
      "comprehension_too_deep",
      `comprehensions nest ${shape.comprehensionNesting} deep (max ${ROUTING_SCRIPT_LIMITS.maxComprehensionNesting})`,
      shape.deepestComprehensionOffset,
    );
  }
  const checked = routingEnvironment.check(script);
  if (!checked.valid) {
    const err = checked.error as { summary?: string; message: string; range?: { start: number } } | undefined;
    return issue(script, "type_error", err?.summary ?? err?.message ?? "type error", err?.range?.start ?? 0);
  }
  const resultType = checked.type ?? "dyn";
  if (!ACCEPTED_RESULT_TYPES.has(resultType)) {
    return issue(script, "wrong_result_type", `script returns ${resultType}, expected list<string>`);
  }
  const nameIssues = options.authorizers ? literalNameIssues(script, root, options.authorizers) : [];
  return nameIssues.length > 0 ? { ok: false, issues: nameIssues } : { ok: true, resultType };
}
