import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { Agent } from "undici";

// Addresses an outbound call must never reach in production: loopback, private, link-local
// (cloud metadata lives at 169.254.169.254), CGNAT, multicast and the unspecified address.
const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.168.0.0", 16], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8]] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

/**
 * Development (`npm run dev`, where the sandbox authorizer and the example service live on
 * localhost) and tests may call loopback and private hosts; production may not, unless
 * ALLOW_PRIVATE_NETWORK_URLS=true says so explicitly (and =false forbids it in development too).
 */
export function privateNetworkAllowed(): boolean {
  const explicit = process.env.ALLOW_PRIVATE_NETWORK_URLS;
  if (explicit === "true" || explicit === "false") return explicit === "true";
  return process.env.NODE_ENV === "development";
}

export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = address.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped?.[1]) return blocked.check(mapped[1], "ipv4");
  return blocked.check(address, family === 4 ? "ipv4" : "ipv6");
}

export type OutboundUrlProblem = "invalid_url" | "https_required" | "credentials_in_url" | "private_address";

/** Checks a configured URL (authorizer endpoint, service webhook) before it is saved or called. */
export function checkOutboundUrl(raw: string, allowPrivate = privateNetworkAllowed()): OutboundUrlProblem | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "invalid_url";
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) return "https_required";
  if (url.username || url.password) return "credentials_in_url";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && (host === "localhost" || host.endsWith(".localhost") || isBlockedAddress(host))) return "private_address";
  return null;
}

/** DNS lookup that refuses private answers, so a public name cannot be pointed at an internal host. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "", 0);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => isBlockedAddress(a.address));
    if (bad) return callback(Object.assign(new Error(`${hostname} resolves to a private address`), { code: "EPRIVATEADDR" }), "", 0);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    const first = list[0];
    return first ? callback(null, first.address, first.family) : callback(new Error(`no address for ${hostname}`), "", 0);
  });
};

let sharedAgent: Agent | undefined;

/**
 * The keep-alive agent for every outbound call (authorizers, webhooks). Redirects are never followed
 * (undici.request does not), and in production private addresses are refused at connect time too.
 */
export function outboundAgent(): Agent {
  sharedAgent ??= new Agent({
    keepAliveTimeout: 10_000,
    connections: 64,
    connect: privateNetworkAllowed() ? {} : { lookup: guardedLookup },
  });
  return sharedAgent;
}
