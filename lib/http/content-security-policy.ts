/**
 * The console's Content-Security-Policy: scripts only from this origin and with the per-request
 * nonce Next puts on its own scripts ('strict-dynamic' lets those load their chunks), no framing
 * by anyone (`frame-ancestors 'none'`), no plugins, no <base> or form posts to other origins.
 */

/** A fresh nonce for one response: 128 random bits, base64. */
export function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * The policy for one page response.
 *
 * @example
 * ```ts
 * contentSecurityPolicy(createNonce(), { development: false });
 * ```
 */
export function contentSecurityPolicy(
  nonce: string,
  options: { development: boolean; formTargets?: string[] },
): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    // React in development rebuilds error stacks with eval; production needs no eval.
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(options.development ? ["'unsafe-eval'"] : [])],
    // Inline style attributes (React `style={}`) need 'unsafe-inline'; styles cannot run code.
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "blob:", "data:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'", ...(options.formTargets ?? [])],
    ["frame-ancestors", "'none'"],
  ];
  const policy = directives.map((directive) => directive.join(" ")).join("; ");
  return options.development ? policy : `${policy}; upgrade-insecure-requests`;
}
