/**
 * Evaluation of tenant routing scripts (guide §4): compile once per script (bounded cache),
 * evaluate against the flattened request and `config`, and fall back to the default authorizer on
 * every failure. `matches` runs on RE2 (linear time, no backtracking). Scripts whose cost is not
 * linear in their size (comprehensions, `cel.bind`, `matches`) run under a hard time budget, so a
 * hostile script cannot stall the gateway.
 */
import { Buffer } from "node:buffer";
import vm from "node:vm";
import type { ParseResult } from "@marcbachmann/cel-js";
import type { FlattenedRequest } from "./flatten";
import { flattenProjected, projectionOf, type RequestProjection } from "./routing-projection";
import type { AuthorizationRequest } from "./request-schema";
import { fallbackOutcome, interpretRoutingValue, type RoutingConfig, type RoutingOutcome } from "./routing-result";
import { describeScript, ROUTING_SCRIPT_LIMITS, routingEnvironment, routeMatchesToRe2 } from "./routing-script";

/** Hard budget for a script that may be costly, in milliseconds. */
export const DEFAULT_ROUTING_BUDGET_MS = 50;
/** Compiled scripts kept per process (many tenants, few distinct scripts). */
const COMPILED_CACHE_LIMIT = 500;

/** A compiled script, or why it cannot run (cached either way). */
export type CompiledScript =
  | { ok: true; evaluate: ParseResult; needsTimeBudget: boolean; projection: RequestProjection }
  | { ok: false; reason: "syntax_error" | "invalid_script" | "type_error"; message: string };

// Keyed by the script text itself: the Map hashes it once per string and compares on collision.
const compiledScripts = new Map<string, CompiledScript>();

// One vm context whose only job is to run `run()` under the watchdog's `timeout`.
const budgetContext = vm.createContext({ run: (): unknown => undefined });
const budgetScript = new vm.Script("run()");

function compile(script: string): CompiledScript {
  if (Buffer.byteLength(script) > ROUTING_SCRIPT_LIMITS.maxScriptBytes) {
    return { ok: false, reason: "invalid_script", message: "script exceeds 4096 bytes" };
  }
  let parsed: ParseResult;
  try {
    parsed = routingEnvironment.parse(script);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === "limit_exceeded" ? "invalid_script" : "syntax_error";
    return { ok: false, reason, message: (error as Error).message };
  }
  routeMatchesToRe2(parsed.ast);
  const shape = describeScript(parsed.ast);
  if (shape.comprehensionNesting > ROUTING_SCRIPT_LIMITS.maxComprehensionNesting) {
    return { ok: false, reason: "invalid_script", message: "comprehensions nest too deeply" };
  }
  // Checking once also records the static types, so evaluation skips re-checking each call.
  const checked = parsed.check();
  if (!checked.valid) return { ok: false, reason: "type_error", message: checked.error?.message ?? "type error" };
  return { ok: true, evaluate: parsed, needsTimeBudget: shape.needsTimeBudget, projection: projectionOf(parsed.ast) };
}

/**
 * Returns the compiled form of a script, compiling and caching it on first use.
 * Compile failures are cached too, so a broken script is not re-parsed per request.
 *
 * @example
 * ```ts
 * compileRoutingScript('["default"]').ok; // true
 * ```
 */
export function compileRoutingScript(script: string): CompiledScript {
  let compiled = compiledScripts.get(script);
  if (compiled === undefined) {
    compiled = compile(script);
    if (compiledScripts.size >= COMPILED_CACHE_LIMIT) {
      const oldest = compiledScripts.keys().next().value;
      if (oldest !== undefined) compiledScripts.delete(oldest);
    }
    compiledScripts.set(script, compiled);
  }
  return compiled;
}

/**
 * Drops a script's compiled form, so the next use compiles it afresh. Call it after an evaluation
 * was interrupted (a time budget ran out): the interrupted run may have left per-script state
 * half-updated.
 *
 * @example
 * ```ts
 * discardCompiledScript(rule.when);
 * ```
 */
export function discardCompiledScript(script: string): void {
  compiledScripts.delete(script);
}

/** Options for routing evaluation. */
export interface RoutingOptions {
  /** Hard budget for scripts that may be costly; default {@link DEFAULT_ROUTING_BUDGET_MS}. */
  budgetMs?: number;
}

function runWithBudget(evaluate: () => unknown, budgetMs: number): unknown {
  budgetContext.run = evaluate;
  try {
    return budgetScript.runInContext(budgetContext, { timeout: budgetMs });
  } finally {
    budgetContext.run = () => undefined;
  }
}

function isBlank(script: string | null | undefined): boolean {
  if (typeof script !== "string" || script.length === 0) return true;
  // Only a script that starts with whitespace can be blank; skip the scan otherwise.
  return script.charCodeAt(0) <= 32 && script.trim() === "";
}

function evaluateCompiled(
  script: string,
  compiled: Extract<CompiledScript, { ok: true }>,
  request: Partial<FlattenedRequest>,
  config: RoutingConfig,
  options: RoutingOptions | undefined,
): RoutingOutcome {
  const variables = { request, config };
  let value: unknown;
  try {
    value = compiled.needsTimeBudget
      ? runWithBudget(() => compiled.evaluate(variables), options?.budgetMs ?? DEFAULT_ROUTING_BUDGET_MS)
      : compiled.evaluate(variables);
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
      // The interrupted evaluation may have left per-script state half-updated: recompile next time.
      compiledScripts.delete(script);
      return fallbackOutcome(config, "timeout", "script exceeded its evaluation budget");
    }
    const reason = (error as { name?: string }).name === "TypeError" ? "type_error" : "runtime_error";
    return fallbackOutcome(config, reason, error instanceof Error ? error.message : String(error));
  }
  if (value instanceof Promise) {
    value.catch(() => undefined);
    return fallbackOutcome(config, "not_a_string_list", "script returned a promise");
  }
  return interpretRoutingValue(value, config);
}

function noScriptOutcome(config: RoutingConfig): RoutingOutcome {
  return { kind: "authorizers", targets: [...config.authorizers], fallback: false, source: "no_script" };
}

/**
 * Routes an already flattened request. Never throws: every failure becomes a fallback outcome.
 * No script (undefined, null or blank) sends the request to every active authorizer.
 *
 * @example
 * ```ts
 * routeFlattenedRequest(script, flattenAuthorizationRequest(request), { authorizers: ["default"], default: "default" });
 * ```
 */
export function routeFlattenedRequest(
  script: string | null | undefined,
  request: FlattenedRequest,
  config: RoutingConfig,
  options?: RoutingOptions,
): RoutingOutcome {
  if (isBlank(script)) return noScriptOutcome(config);
  const compiled = compileRoutingScript(script as string);
  if (!compiled.ok) return fallbackOutcome(config, compiled.reason, compiled.message);
  return evaluateCompiled(script as string, compiled, request, config, options);
}

/**
 * Flattens a validated request (only the parts the script reads) and routes it with the tenant's
 * script, with the semantics of guide §4 and PROTOCOL.md. Never throws.
 *
 * @example
 * ```ts
 * const outcome = evaluateRoutingScript(
 *   'request.action.category.startsWith("infra.") ? ["security-team"] : ["default"]',
 *   request,
 *   { authorizers: ["default", "security-team"], default: "default" },
 * );
 * outcome.targets; // ["security-team"]
 * ```
 */
export function evaluateRoutingScript(
  script: string | null | undefined,
  request: AuthorizationRequest,
  config: RoutingConfig,
  options?: RoutingOptions,
): RoutingOutcome {
  // Same three opening lines as routeFlattenedRequest, kept inline on purpose: a shared helper
  // taking a callback cost ~10% of flatten + route throughput in `npm run bench`.
  if (isBlank(script)) return noScriptOutcome(config);
  const compiled = compileRoutingScript(script as string);
  if (!compiled.ok) return fallbackOutcome(config, compiled.reason, compiled.message);
  let flat: Partial<FlattenedRequest>;
  try {
    flat = flattenProjected(request, compiled.projection);
  } catch (error) {
    return fallbackOutcome(config, "runtime_error", `request could not be flattened: ${String(error)}`);
  }
  return evaluateCompiled(script as string, compiled, flat, config, options);
}
