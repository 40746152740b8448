/**
 * Nesting limits checked before any recursive schema runs: a 64 KiB body can nest thousands of
 * levels deep, and recursive validation of that would exhaust the stack.
 */

/** Deepest nesting of JSON arrays and objects accepted in a protocol message. */
export const MAX_JSON_DEPTH = 32;

/**
 * True when `value` nests arrays/objects deeper than `limit`. Iterative, so it cannot itself
 * overflow the stack, and it stops at the first path that is too deep.
 *
 * @example
 * ```ts
 * exceedsJsonDepth({ a: [{ b: "x" }] }, 2); // true (object → array → object)
 * ```
 */
export function exceedsJsonDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
