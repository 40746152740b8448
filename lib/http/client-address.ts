/**
 * What the request says about its client and its public origin, trusting `X-Forwarded-*` headers
 * only as far as the deployment says reverse proxies sit in front of the app (`TRUSTED_PROXY_HOPS`,
 * default 0: the headers are the client's own words and are ignored).
 */

/** How many reverse proxies in front of the app append to `X-Forwarded-*` (0–10, default 0). */
export function trustedProxyHops(): number {
  const raw = process.env.TRUSTED_PROXY_HOPS?.trim();
  if (!raw) return 0;
  const hops = Number(raw);
  return Number.isInteger(hops) && hops >= 0 && hops <= 10 ? hops : 0;
}

/**
 * The value the outermost trusted proxy wrote into a comma-separated `X-Forwarded-*` header: with
 * N trusted hops, the N-th entry from the right (each proxy appends; entries further left came from
 * the client and prove nothing). Null with no trusted hop or too few entries.
 */
export function forwardedValue(headers: Headers, name: string, hops = trustedProxyHops()): string | null {
  if (hops === 0) return null;
  const entries = (headers.get(name) ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  return entries.length >= hops ? entries[entries.length - hops]! : null;
}

/**
 * The origin (`scheme://host[:port]`) this request was addressed to: from `X-Forwarded-Proto` and
 * `X-Forwarded-Host` behind trusted proxies, else from the request's own URL scheme and `Host`.
 * Null when the host is missing or does not make a valid origin.
 */
export function requestOrigin(request: Request): string | null {
  const url = new URL(request.url);
  const proto = forwardedValue(request.headers, "x-forwarded-proto") ?? url.protocol.replace(/:$/, "");
  const host = forwardedValue(request.headers, "x-forwarded-host") ?? request.headers.get("host");
  if (!host || !/^https?$/i.test(proto)) return null;
  try {
    const origin = new URL(`${proto.toLowerCase()}://${host}`);
    return origin.host === host.toLowerCase() || origin.host === host.toLowerCase().replace(/:(80|443)$/, "") ? origin.origin : null;
  } catch {
    return null;
  }
}
