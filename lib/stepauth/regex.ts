/**
 * CEL's `matches` on RE2 semantics (as the CEL specification requires), through `re2js`: a pure
 * JavaScript RE2 whose running time is linear in the input, so no pattern (`^(a+)+$`) can make
 * one evaluation backtrack for seconds. JavaScript's own `RegExp`, which cel-js uses, backtracks.
 */
import { RE2JS } from "re2js";

/** The name the rewritten `matches` calls go to (an implementation detail of routing-script.ts). */
export const RE2_MATCHES_FUNCTION = "__re2_matches";

/** Compiled patterns kept per process (scripts use few distinct patterns). */
const PATTERN_CACHE_LIMIT = 256;
const compiledPatterns = new Map<string, RE2JS | Error>();

function compilePattern(pattern: string): RE2JS | Error {
  let compiled = compiledPatterns.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = RE2JS.compile(pattern);
    } catch (error) {
      compiled = new Error(`invalid regular expression: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (compiledPatterns.size >= PATTERN_CACHE_LIMIT) {
      const oldest = compiledPatterns.keys().next().value;
      if (oldest !== undefined) compiledPatterns.delete(oldest);
    }
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

/**
 * `text.matches(pattern)` with CEL semantics: true when the RE2 pattern matches any substring.
 * Throws on a pattern RE2 does not accept (backreferences, lookaround), which CEL reports as an
 * evaluation error.
 *
 * @example
 * ```ts
 * re2Matches("a".repeat(10_000) + "b", "^(a+)+$"); // false, in milliseconds
 * re2Matches("hello", "h.*o"); // true
 * ```
 */
export function re2Matches(text: string, pattern: string): boolean {
  const compiled = compilePattern(pattern);
  if (compiled instanceof Error) throw compiled;
  return compiled.test(text);
}

// Warm the matcher once at load (a few milliseconds): its first cold run is several times slower,
// and that first run would otherwise be charged to some script's evaluation budget.
RE2JS.compile("^(a+)+$").test("a".repeat(2000) + "b");
