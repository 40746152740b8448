import { isIP } from "node:net";
import { config } from "@/lib/config/env";

/**
 * What the request says about its client and its public origin, trusting `X-Forwarded-*` headers
 * only as far as the deployment says reverse proxies sit in front of the app (`TRUSTED_PROXY_HOPS`,
 * default 0: the headers are the client's own words and are ignored).
 */

/**
 * How many reverse proxies of ours stand in front of the app and append to `X-Forwarded-*`
 * (`TRUSTED_PROXY_HOPS`, default 0). With 0, forwarded headers are never believed: any client can
 * send them. An invalid value (not an integer from 0 to 16) stops the app at start (lib/config/env.ts).
 *
 * @example trustedProxyHops() // 1 behind one load balancer that appends the peer address
 */
export function trustedProxyHops(): number {
  return config().TRUSTED_PROXY_HOPS;
}

/**
 * The value the outermost trusted proxy wrote into a comma-separated `X-Forwarded-*` header: with
 * N trusted hops, the N-th entry from the right (each proxy appends; entries further left came from
 * the client and prove nothing). Null with no trusted hop or too few entries.
 */
export function forwardedValue(headers: Headers, name: string, hops = trustedProxyHops()): string | null {
  if (hops === 0) return null;
  const entries = (headers.get(name) ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.length >= hops ? entries[entries.length - hops]! : null;
}

/** An IP address in canonical form (IPv4-mapped IPv6 as plain IPv4), or null when it is not one. */
function canonicalAddress(value: string | null | undefined): string | null {
  const address = value
    ?.trim()
    .replace(/^\[(.*)\]$/, "$1")
    .toLowerCase();
  if (!address || !isIP(address)) return null;
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * The address of the client as the outermost trusted proxy saw it, or null when unknown.
 *
 * With no trusted hops, only `socketAddress` counts. Next's App Router does not expose the socket
 * address to route handlers or server actions (under `next start` it only copies it into
 * `X-Forwarded-For` when the client sent none, which a client can forge), so there the answer is
 * null unless a proxy is configured.
 *
 * @example clientAddress(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" })) // hops=1 → "203.0.113.7"
 */
export function clientAddress(headers: Headers, socketAddress?: string | null): string | null {
  if (trustedProxyHops() === 0) return canonicalAddress(socketAddress);
  return canonicalAddress(forwardedValue(headers, "x-forwarded-for")) ?? canonicalAddress(socketAddress);
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
    return origin.host === host.toLowerCase() || origin.host === host.toLowerCase().replace(/:(80|443)$/, "")
      ? origin.origin
      : null;
  } catch {
    return null;
  }
}
