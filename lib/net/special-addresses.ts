/**
 * Which IP addresses an outbound call may reach: the IANA IPv4 and IPv6 Special-Purpose Address
 * Registries as data, IPv6 outside global unicast (2000::/3) refused, and IPv4 embedded in IPv6
 * (IPv4-mapped, NAT64 64:ff9b::/96, 6to4 2002::/16) judged by the IPv4 address it carries.
 * Parsing and prefix matching are ipaddr.js's; the policy is the tables below.
 */
import { networkInterfaces } from "node:os";
import ipaddr from "ipaddr.js";

type Block = readonly [cidr: string, name: string];

/** IANA IPv4 Special-Purpose Address Registry (every entry, global or not), plus multicast. */
const IPV4_SPECIAL: readonly Block[] = [
  ["0.0.0.0/8", "this network"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "shared address space (CGNAT)"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local (cloud metadata)"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "IETF protocol assignments"],
  ["192.0.2.0/24", "documentation"],
  ["192.31.196.0/24", "AS112"],
  ["192.52.193.0/24", "AMT"],
  ["192.88.99.0/24", "6to4 relay anycast"],
  ["192.168.0.0/16", "private"],
  ["192.175.48.0/24", "AS112 direct delegation"],
  ["198.18.0.0/15", "benchmarking"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
  ["255.255.255.255/32", "broadcast"],
];

/**
 * IANA IPv6 Special-Purpose Address Registry entries inside 2000::/3 (everything outside it is
 * refused anyway: loopback, unspecified, IPv4-compatible, 64:ff9b:1::/48, discard, ULA,
 * link-local, site-local, multicast). 2001::/23 covers Teredo, benchmarking, AMT, AS112, ORCHID.
 */
const IPV6_SPECIAL: readonly Block[] = [
  ["2001::/23", "IETF protocol assignments (Teredo, benchmarking, ORCHID…)"],
  ["2001:db8::/32", "documentation"],
  ["2620:4f:8000::/48", "AS112 direct delegation"],
  ["3fff::/20", "documentation"],
];

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR("64:ff9b::/96");
const SIX_TO_FOUR = ipaddr.IPv6.parseCIDR("2002::/16");
const parsedV4 = IPV4_SPECIAL.map(([cidr, name]) => [ipaddr.IPv4.parseCIDR(cidr), name] as const);
const parsedV6 = IPV6_SPECIAL.map(([cidr, name]) => [ipaddr.IPv6.parseCIDR(cidr), name] as const);

function ipv4From(parts: number[], first: number): ipaddr.IPv4 {
  const [high, low] = [parts[first]!, parts[first + 1]!];
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function ipv4Reason(address: ipaddr.IPv4): string | null {
  return parsedV4.find(([range]) => address.match(range))?.[1] ?? null;
}

function ipv6Reason(address: ipaddr.IPv6): string | null {
  if (address.isIPv4MappedAddress()) return withEmbedded("IPv4-mapped", address.toIPv4Address());
  if (address.match(NAT64_WELL_KNOWN)) return withEmbedded("NAT64", ipv4From(address.parts, 6));
  if (address.match(SIX_TO_FOUR)) return withEmbedded("6to4", ipv4From(address.parts, 1));
  if (!address.match(GLOBAL_UNICAST_V6)) return `not global unicast (${address.range()})`;
  return parsedV6.find(([range]) => address.match(range))?.[1] ?? null;
}

function withEmbedded(form: string, embedded: ipaddr.IPv4): string | null {
  const reason = ipv4Reason(embedded);
  return reason ? `${form} ${embedded.toString()}: ${reason}` : null;
}

/** Every address of this machine's interfaces: reaching them is reaching ourselves. */
function ownAddresses(): Set<string> {
  const own = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const item of list ?? []) own.add(ipaddr.parse(item.address.replace(/%.*$/, "")).toNormalizedString());
  }
  return own;
}

/**
 * Why an outbound call must not connect to `address` (an IPv4 or IPv6 literal, without brackets),
 * or null when it may. Anything that does not parse as an IP address is refused.
 *
 * @example
 * ```ts
 * forbiddenAddressReason("93.184.215.14"); // null
 * forbiddenAddressReason("::ffff:0:7f00:1"); // "not global unicast (rfc6145)"
 * forbiddenAddressReason("64:ff9b::a9fe:a9fe"); // "NAT64 169.254.169.254: link-local (cloud metadata)"
 * ```
 */
export function forbiddenAddressReason(address: string): string | null {
  const literal = address.replace(/^\[|\]$/g, "");
  if (!ipaddr.isValid(literal)) return "not an IP address";
  const parsed = ipaddr.parse(literal);
  if (parsed instanceof ipaddr.IPv6 && parsed.zoneId) return "scoped (zone) address";
  const reason = parsed instanceof ipaddr.IPv4 ? ipv4Reason(parsed) : ipv6Reason(parsed);
  if (reason) return reason;
  return ownAddresses().has(parsed.toNormalizedString()) ? "an address of this machine" : null;
}
