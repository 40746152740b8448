/**
 * Canonical JSON: the JCS subset (RFC 8785) our audit values need. Object keys sorted by UTF-16
 * code units, no whitespace, strings and numbers exactly as `JSON.stringify` writes them, `undefined`
 * members dropped. The same value always gives the same bytes, whatever order its keys arrived in.
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [true, null, "x"] }); // '{"a":[true,null,"x"],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    // Non-finite numbers have no JSON form; JSON.stringify would write null, and so do we.
    return JSON.stringify(value ?? null) ?? "null";
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(",")}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(",")}}`;
}
