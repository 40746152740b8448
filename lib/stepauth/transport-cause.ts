/**
 * Names why a connection failed, from a transport error's `cause` chain (Node and undici put the
 * system or TLS error code there): "connection refused (ECONNREFUSED)", "TLS: certificate has
 * expired (CERT_HAS_EXPIRED)". An operator reads it; it never decides anything.
 *
 * @example
 * ```ts
 * describeTransportCause(new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }) }));
 * // → "connection refused (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:9"
 * ```
 */
export function describeTransportCause(error: unknown): string | undefined {
  let deepest: { code?: string; message: string } | undefined;
  for (let e = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" || !deepest)
      deepest = { code: typeof code === "string" ? code : undefined, message: e.message };
  }
  if (!deepest) return undefined;
  const label = deepest.code ? labelOf(deepest.code) : undefined;
  const text = label ? `${label} (${deepest.code})` : deepest.code;
  const message = deepest.message.slice(0, 200);
  return text ? `${text}: ${message}` : message;
}

// The common causes in words; anything else keeps its code and message.
const causeLabels: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found (DNS)",
  EAI_AGAIN: "DNS lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed by the server",
  UND_ERR_HEADERS_TIMEOUT: "no response headers in time",
};

function labelOf(code: string): string | undefined {
  if (causeLabels[code]) return causeLabels[code];
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) return "TLS";
  return undefined;
}
