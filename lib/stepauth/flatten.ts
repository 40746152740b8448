/**
 * Flattening for routing: every labeled-entry array becomes an object keyed by `key`, recursively
 * and through the whole operator chain, so a CEL script can write
 * `request.action.details.device.serial` or `request.principal.operator.attributes.email`.
 */
import type { Entry, Principal } from "./schemas";
import type { AuthorizationRequest } from "./request-schema";

/** Entries flattened into an object: string values stay strings, nested lists become objects. */
export interface FlattenedEntries {
  [key: string]: string | FlattenedEntries;
}

/** A principal with its attributes flattened. */
export interface FlattenedPrincipal {
  type: Principal["type"];
  attributes: FlattenedEntries;
  operator?: FlattenedPrincipal;
}

/** The `request` variable of a routing script. */
export interface FlattenedRequest {
  requestId: string;
  spId: string;
  timestamp: string;
  callbackUrl?: string;
  expiresAt: string;
  principal: FlattenedPrincipal;
  action: { type: string; category?: string; summary: string; details?: FlattenedEntries };
}

function assign(target: FlattenedEntries, key: string, value: string | FlattenedEntries): void {
  // `__proto__` is a CEL-safe key, but plain assignment would replace the prototype instead.
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * Flattens an entry array into an object, recursively.
 *
 * @example
 * ```ts
 * flattenEntries([{ key: "device", label: "Device", value: [{ key: "serial", label: "Serial", value: "C02" }] }]);
 * // { device: { serial: "C02" } }
 * ```
 */
export function flattenEntries(list: readonly Entry[]): FlattenedEntries {
  const out: FlattenedEntries = {};
  for (let i = 0; i < list.length; i++) {
    const item = list[i] as Entry;
    const value = item.value;
    assign(out, item.key, typeof value === "string" ? value : flattenEntries(value));
  }
  return out;
}

/**
 * Flattens a principal and its operator chain.
 *
 * @example
 * ```ts
 * flattenPrincipal({ type: "human", attributes: [{ key: "email", label: "Email", value: "a@b.c" }] });
 * // { type: "human", attributes: { email: "a@b.c" } }
 * ```
 */
export function flattenPrincipal(principal: Principal): FlattenedPrincipal {
  const flat: FlattenedPrincipal = { type: principal.type, attributes: flattenEntries(principal.attributes) };
  if (principal.operator !== undefined) flat.operator = flattenPrincipal(principal.operator);
  return flat;
}

/**
 * Flattens a validated authorization request into the routing script's `request` variable.
 * Optional fields absent from the request stay absent (so `has()` works in scripts).
 *
 * @example
 * ```ts
 * const flat = flattenAuthorizationRequest(request);
 * flat.action.details?.device; // { name: "…", serial: "C02ZX1ABCDEF" }
 * ```
 */
export function flattenAuthorizationRequest(request: AuthorizationRequest): FlattenedRequest {
  const action = request.action;
  const flatAction: FlattenedRequest["action"] = { type: action.type, summary: action.summary };
  if (action.category !== undefined) flatAction.category = action.category;
  if (action.details !== undefined) flatAction.details = flattenEntries(action.details);
  const flat: FlattenedRequest = {
    requestId: request.requestId,
    spId: request.spId,
    timestamp: request.timestamp,
    expiresAt: request.expiresAt,
    principal: flattenPrincipal(request.principal),
    action: flatAction,
  };
  if (request.callbackUrl !== undefined) flat.callbackUrl = request.callbackUrl;
  return flat;
}
