import { isIP } from "node:net";

let warnedAbout: string | undefined;

/**
 * How many reverse proxies of ours stand in front of the app and append to `X-Forwarded-For`
 * (`TRUSTED_PROXY_HOPS`, default 0). With 0, forwarded headers are never believed: any client can
 * send them. An invalid value also means 0 (the safe reading) and is reported once.
 *
 * @example trustedProxyHops() // 1 behind one load balancer that appends the peer address
 */
export function trustedProxyHops(): number {
  const raw = process.env.TRUSTED_PROXY_HOPS?.trim();
  if (!raw) return 0;
  const hops = Number(raw);
  if (Number.isInteger(hops) && hops >= 0 && hops <= 16) return hops;
  if (warnedAbout !== raw) console.warn(`TRUSTED_PROXY_HOPS="${raw}" is not an integer from 0 to 16; forwarded headers are ignored`);
  warnedAbout = raw;
  return 0;
}

/** An IP address in canonical form (IPv4-mapped IPv6 as plain IPv4), or null when it is not one. */
function canonicalAddress(value: string | null | undefined): string | null {
  const address = value?.trim().replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (!address || !isIP(address)) return null;
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * The address of the client as the outermost trusted proxy saw it, or null when unknown.
 *
 * Each trusted proxy appends the address it received the request from, so the client is the
 * `trustedProxyHops()`-th `X-Forwarded-For` entry from the right; entries further left are the
 * client's own claims and are never used. With no trusted hops, only `socketAddress` counts. Next's
 * App Router does not expose the socket address to route handlers or server actions (under
 * `next start` it only copies it into `X-Forwarded-For` when the client sent none, which a client can
 * forge), so there the answer is null unless a proxy is configured.
 *
 * @example clientAddress(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" })) // hops=1 → "203.0.113.7"
 */
export function clientAddress(headers: Headers, socketAddress?: string | null): string | null {
  const hops = trustedProxyHops();
  const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  if (hops === 0 || chain.length === 0) return canonicalAddress(socketAddress);
  return canonicalAddress(chain[Math.max(0, chain.length - hops)]);
}
