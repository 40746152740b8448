/**
 * Builders that make a request pleasant to construct, as in the integration guide:
 * `entries(entry(...), group(...))`, then `buildAuthorizationRequest({...})`.
 * Builders validate as they go, so a bad key fails where it was written.
 */
import { StepAuthError } from "./errors";
import { generateRequestId } from "./request-id";
import { rememberValidatedRequest } from "./request-payload";
import { parseAuthorizationRequest, type AuthorizationRequest, type CallbackUrlPolicy } from "./request-schema";
import { ENTRY_KEY_PATTERN, type Entry, type Principal } from "./schemas";

function checkKey(key: string): void {
  if (typeof key !== "string" || !ENTRY_KEY_PATTERN.test(key)) {
    throw new StepAuthError("malformed_request", `entry key "${String(key)}" is not CEL-safe`);
  }
}

function checkUnique(items: readonly Entry[]): Entry[] {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.key)) throw new StepAuthError("malformed_request", `duplicate entry key "${item.key}"`);
    seen.add(item.key);
  }
  return [...items];
}

/**
 * A labeled string entry.
 *
 * @example
 * ```ts
 * entry("serial", "Serial", "C02ZX1ABCDEF"); // { key: "serial", label: "Serial", value: "C02ZX1ABCDEF" }
 * ```
 */
export function entry(key: string, label: string, value: string): Entry {
  checkKey(key);
  return { key, label, value };
}

/**
 * A labeled group of entries (a nested entry array).
 *
 * @example
 * ```ts
 * group("device", "Device", entry("name", "Name", "MacBook Pro"), entry("serial", "Serial", "C02"));
 * ```
 */
export function group(key: string, label: string, ...children: Entry[]): Entry {
  checkKey(key);
  return { key, label, value: checkUnique(children) };
}

/**
 * An entry array with unique keys.
 *
 * @example
 * ```ts
 * const attributes = entries(entry("name", "Name", "Marc Tremblay"), entry("email", "Email", "it-admin@acme.com"));
 * ```
 */
export function entries(...items: Entry[]): Entry[] {
  return checkUnique(items);
}

/** The parts of a request an SP writes; ids and times are filled in by the builder. */
export interface AuthorizationRequestDraft {
  spId: string;
  /** Seconds from now until the request expires. */
  expiresIn: number;
  callbackUrl?: string;
  principal: Principal;
  action: AuthorizationRequest["action"];
  /** Supply to reuse an id (e.g. a retried submission); generated otherwise. */
  requestId?: string;
}

/** Injected clock and policy for {@link buildAuthorizationRequest}. */
export interface BuildRequestOptions extends CallbackUrlPolicy {
  /** Current time; defaults to `new Date()`. */
  now?: () => Date;
  generateId?: () => string;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/**
 * Builds and validates a complete authorization request (requestId, timestamp, expiresAt filled in).
 * Throws the same coded errors as `parseAuthorizationRequest`.
 *
 * @example
 * ```ts
 * const request = buildAuthorizationRequest({
 *   spId: "sp_acme_mdm",
 *   expiresIn: 1800,
 *   principal: { type: "human", attributes: entries(entry("email", "Email", "it-admin@acme.com")) },
 *   action: { type: "device.wipe", category: "infra.destroy", summary: "If approved, …" },
 * });
 * ```
 */
export function buildAuthorizationRequest(
  draft: AuthorizationRequestDraft,
  options: BuildRequestOptions = {},
): AuthorizationRequest {
  if (!Number.isFinite(draft.expiresIn) || draft.expiresIn <= 0) {
    throw new StepAuthError("malformed_request", "expiresIn must be a positive number of seconds");
  }
  const nowMs = (options.now?.() ?? new Date()).getTime();
  const candidate = {
    requestId: draft.requestId ?? (options.generateId ?? generateRequestId)(),
    spId: draft.spId,
    timestamp: rfc3339(nowMs),
    ...(draft.callbackUrl === undefined ? {} : { callbackUrl: draft.callbackUrl }),
    expiresAt: rfc3339(nowMs + Math.round(draft.expiresIn * 1000)),
    principal: draft.principal,
    action: draft.action,
  };
  const request = parseAuthorizationRequest(candidate, options);
  // So authorizationRequestPayload can derive each authorizer's copy without validating it again.
  rememberValidatedRequest(request);
  return request;
}
