import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import type { Socket } from "node:net";
import { Agent, buildConnector } from "undici";
import { forbiddenAddressReason } from "@/lib/net/special-addresses";
import { config } from "@/lib/config/env";

/**
 * Development (`npm run dev`, where the sandbox authorizer and the example service live on
 * localhost) and tests may call loopback and private hosts; production may not, unless
 * ALLOW_PRIVATE_NETWORK_URLS=true says so explicitly (and =false forbids it in development too).
 */
export function privateNetworkAllowed(): boolean {
  return config().ALLOW_PRIVATE_NETWORK_URLS ?? config().NODE_ENV === "development";
}

/** True when an outbound call must not reach `address` (an IP literal); names are judged once resolved. */
export function isBlockedAddress(address: string): boolean {
  return isIP(address.replace(/^\[|\]$/g, "")) !== 0 && forbiddenAddressReason(address) !== null;
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
  if (!allowPrivate && isPrivateHost(url.hostname)) return "private_address";
  return null;
}

/**
 * True for a URL host that names this machine or a special-purpose address outright: `localhost`
 * names and forbidden IP literals. Other names are judged when they resolve, at connect time.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.$/, "");
  return host === "localhost" || host.endsWith(".localhost") || isBlockedAddress(host);
}

/** The error of a connection the guard refused; `code` lets callers tell it from a network failure. */
export class OutboundAddressRefused extends Error {
  readonly code = "EPRIVATEADDR";
  constructor(host: string, address: string, reason: string) {
    super(`${host} → ${address} is refused for outbound calls: ${reason}`);
    this.name = "OutboundAddressRefused";
  }
}

/** DNS lookup that refuses a name if any of its answers is forbidden, so net connects only to checked addresses. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "", 0);
    const list = addresses as LookupAddress[];
    for (const { address } of list) {
      const reason = forbiddenAddressReason(address);
      if (reason) return callback(new OutboundAddressRefused(hostname, address, reason), "", 0);
    }
    if ((options as { all?: boolean }).all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    const first = list[0];
    return first
      ? callback(null, first.address, first.family)
      : callback(new Error(`no address for ${hostname}`), "", 0);
  });
};

/**
 * undici's connector with the SSRF guard in the connect path: an IP literal is judged before any
 * socket opens (net skips DNS for literals), a name through {@link guardedLookup}, whose answers are
 * the addresses net then connects to; and the socket's peer address is judged once more.
 */
export function guardedConnector(options: buildConnector.BuildOptions = {}): buildConnector.connector {
  const connect = buildConnector({ ...options, lookup: guardedLookup } as buildConnector.BuildOptions);
  return (target, callback) => {
    if (isIP(target.hostname) !== 0) {
      const reason = forbiddenAddressReason(target.hostname);
      if (reason) return callback(new OutboundAddressRefused(target.hostname, target.hostname, reason), null);
    }
    connect(target, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error("no socket"), null);
      const peer = (socket as Socket).remoteAddress;
      const reason = peer ? forbiddenAddressReason(peer) : "no peer address";
      if (!reason) return callback(null, socket);
      socket.destroy();
      return callback(new OutboundAddressRefused(target.hostname, peer ?? "?", reason), null);
    });
  };
}

let sharedAgent: Agent | undefined;

/**
 * The keep-alive agent for every outbound call (authorizers, webhooks, sandbox callbacks). Redirects
 * are never followed (undici.request does not), and unless private networks are allowed every
 * connection goes through {@link guardedConnector}.
 */
export function outboundAgent(): Agent {
  sharedAgent ??= createOutboundAgent(privateNetworkAllowed());
  return sharedAgent;
}

/** An agent with the guard on (`allowPrivate` false) or off (development and tests on loopback). */
export function createOutboundAgent(allowPrivate: boolean): Agent {
  return new Agent({
    keepAliveTimeout: 10_000,
    connections: 64,
    ...(allowPrivate ? {} : { connect: guardedConnector() }),
  });
}
