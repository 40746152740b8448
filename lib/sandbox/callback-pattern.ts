/**
 * Callback URL patterns of SP registrations. A pattern is a URL in which `*` stands for exactly
 * one non-empty path segment (no `/`, `?` or `#`); everything else must match character for
 * character, so a pattern cannot be widened by a clever callback URL.
 */

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Compiles a pattern into an anchored matcher.
 *
 * @example
 * ```ts
 * const matches = compileCallbackPattern("https://gw.example/api/stepauth/callback/*");
 * matches("https://gw.example/api/stepauth/callback/3f2a"); // true
 * matches("https://gw.example/api/stepauth/callback/3f2a/x"); // false
 * ```
 */
export function compileCallbackPattern(pattern: string): (url: string) => boolean {
  const source = pattern.split("*").map(escapeRegExp).join("[^/?#]+");
  const regex = new RegExp(`^${source}$`);
  return (url) => regex.test(url);
}

/**
 * True when `url` is allowed by the registration's pattern. Without a pattern no callback URL
 * is allowed (the SP must poll).
 *
 * @example
 * ```ts
 * matchesCallbackPattern(null, "https://sp.example/cb"); // false
 * matchesCallbackPattern("https://sp.example/cb", "https://sp.example/cb"); // true
 * ```
 */
export function matchesCallbackPattern(pattern: string | null, url: string): boolean {
  if (!pattern) return false;
  return compileCallbackPattern(pattern)(url);
}
