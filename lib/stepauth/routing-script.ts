/**
 * The CEL side of routing scripts: one shared environment with tight structural limits, and
 * static facts about a parsed script (does it need the hard time budget, how deeply do its
 * comprehensions nest, where is an offset in line/column terms).
 */
import { Environment, type ASTNode } from "@marcbachmann/cel-js";
import { RE2_MATCHES_FUNCTION, re2Matches } from "./regex";

/** Static limits applied when a routing script is saved or compiled. */
export const ROUTING_SCRIPT_LIMITS = {
  /** Script length in UTF-8 bytes. */
  maxScriptBytes: 4096,
  maxAstNodes: 1000,
  maxDepth: 32,
  maxListElements: 64,
  maxMapEntries: 64,
  maxCallArguments: 8,
  /** `l.map(a, m.map(b, …))` nests two comprehensions; a third level is rejected. */
  maxComprehensionNesting: 2,
} as const;

/** Comprehension macros: each iterates, so nesting multiplies cost. */
const COMPREHENSION_MACROS: ReadonlySet<string> = new Set(["all", "exists", "exists_one", "map", "filter"]);
/**
 * Functions whose cost is not bounded by the script's size: iteration, `cel.bind` (re-use allows
 * doubling), and `matches` (RE2, linear in the input, but pattern size times input size can still be
 * large). Scripts using them run under the hard time budget; all others are linear in script size
 * times request size.
 */
const UNBOUNDED_FUNCTIONS: ReadonlySet<string> = new Set([
  ...COMPREHENSION_MACROS,
  "bind",
  "matches",
  RE2_MATCHES_FUNCTION,
]);

/**
 * The shared routing environment: variables `request` and `config`, both maps.
 *
 * @example
 * ```ts
 * routingEnvironment.check('request.principal.type == "agent" ? ["a"] : ["b"]').type; // "list<string>"
 * ```
 */
export const routingEnvironment = new Environment({
  limits: {
    maxAstNodes: ROUTING_SCRIPT_LIMITS.maxAstNodes,
    maxDepth: ROUTING_SCRIPT_LIMITS.maxDepth,
    maxListElements: ROUTING_SCRIPT_LIMITS.maxListElements,
    maxMapEntries: ROUTING_SCRIPT_LIMITS.maxMapEntries,
    maxCallArguments: ROUTING_SCRIPT_LIMITS.maxCallArguments,
  },
})
  .registerVariable("request", "map", { description: "The authorization request, entry arrays flattened" })
  .registerVariable("config", "map", { description: "{authorizers: [names], default: name}" })
  // cel-js's own `matches` uses JavaScript's backtracking RegExp and cannot be replaced (its
  // registry refuses an overlapping overload), so parsed scripts call this one instead.
  .registerFunction(`string.${RE2_MATCHES_FUNCTION}(string): bool`, re2Matches);

function isNode(value: unknown): value is ASTNode {
  return typeof value === "object" && value !== null && "op" in value && "args" in value;
}

function childrenOf(node: ASTNode): ASTNode[] {
  const out: ASTNode[] = [];
  const visit = (value: unknown): void => {
    if (isNode(value)) out.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
  };
  visit(node.args);
  return out;
}

function calledName(node: ASTNode): string | undefined {
  if (node.op !== "rcall" && node.op !== "call") return undefined;
  const name = (node.args as unknown[])[0];
  return typeof name === "string" ? name : undefined;
}

/**
 * Points every `text.matches(pattern)` call of a parsed, not yet checked, script at the RE2
 * implementation ({@link re2Matches}), so that no routing script or policy rule runs a backtracking
 * regular expression. Call it between `parse` and `check`/evaluation.
 *
 * @example
 * ```ts
 * const parsed = routingEnvironment.parse('request.action.summary.matches("^(a+)+$")');
 * routeMatchesToRe2(parsed.ast);
 * ```
 */
export function routeMatchesToRe2(root: ASTNode): void {
  const stack: ASTNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as ASTNode;
    if (node.op === "rcall" && calledName(node) === "matches") (node.args as unknown[])[0] = RE2_MATCHES_FUNCTION;
    stack.push(...childrenOf(node));
  }
}

/** Static facts about one parsed script. */
export interface ScriptShape {
  /** Deepest nesting of comprehension macros. */
  comprehensionNesting: number;
  /** Whether evaluation cost can exceed linear, so the hard budget applies. */
  needsTimeBudget: boolean;
  /** Where the deepest comprehension starts (for editor diagnostics). */
  deepestComprehensionOffset: number;
}

/**
 * Walks a parsed script once and reports its {@link ScriptShape}.
 *
 * @example
 * ```ts
 * describeScript(routingEnvironment.parse("[1].map(x, [2].map(y, x))").ast).comprehensionNesting; // 2
 * ```
 */
export function describeScript(root: ASTNode): ScriptShape {
  const shape: ScriptShape = { comprehensionNesting: 0, needsTimeBudget: false, deepestComprehensionOffset: 0 };
  const stack: Array<[ASTNode, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, nesting] = stack.pop() as [ASTNode, number];
    const name = calledName(node);
    let depth = nesting;
    if (name !== undefined && UNBOUNDED_FUNCTIONS.has(name)) shape.needsTimeBudget = true;
    if (name !== undefined && node.op === "rcall" && COMPREHENSION_MACROS.has(name)) {
      depth += 1;
      if (depth > shape.comprehensionNesting) {
        shape.comprehensionNesting = depth;
        shape.deepestComprehensionOffset = node.start;
      }
    }
    for (const child of childrenOf(node)) stack.push([child, depth]);
  }
  return shape;
}

/** A 1-based line and column in the script text. */
export interface SourcePosition {
  offset: number;
  line: number;
  column: number;
}

/**
 * Converts a character offset into a 1-based line/column for the console editor.
 *
 * @example
 * ```ts
 * positionAt("a\nbc", 3); // { offset: 3, line: 2, column: 2 }
 * ```
 */
export function positionAt(script: string, offset: number): SourcePosition {
  const clamped = Math.max(0, Math.min(offset, script.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (script.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { offset: clamped, line, column: clamped - lineStart + 1 };
}
