/**
 * Script-directed flattening. A compiled routing script records which `request` paths it reads;
 * the router then flattens only those parts of the request. A script that uses `request` as a
 * whole value (or indexes it dynamically) gets the full flattening, so what a script can observe
 * is identical either way: present keys have the same values, absent keys are absent.
 */
import type { ASTNode } from "@marcbachmann/cel-js";
import {
  flattenAuthorizationRequest,
  flattenEntries,
  flattenPrincipal,
  type FlattenedEntries,
  type FlattenedRequest,
} from "./flatten";
import type { AuthorizationRequest } from "./request-schema";
import type { Entry, Principal } from "./schemas";

/** `true` = the whole subtree is needed; a map = only these children. */
export type RequestProjection = true | Map<string, RequestProjection>;

function addPath(root: Map<string, RequestProjection>, path: readonly string[]): void {
  let level = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as string;
    const existing = level.get(key);
    if (existing === true) return;
    if (i === path.length - 1) {
      level.set(key, true);
      return;
    }
    const next = existing ?? new Map<string, RequestProjection>();
    level.set(key, next);
    level = next;
  }
}

function isNode(value: unknown): value is ASTNode {
  return typeof value === "object" && value !== null && "op" in value && "args" in value;
}

/**
 * Computes the projection of `request` that a parsed script can read.
 *
 * @example
 * ```ts
 * projectionOf(routingEnvironment.parse('request.action.category == "x" ? ["a"] : ["b"]').ast);
 * // Map { "action" => Map { "category" => true } }
 * ```
 */
export function projectionOf(root: ASTNode): RequestProjection {
  const paths = new Map<string, RequestProjection>();
  let whole = false;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isNode(value) || whole) return;
    if (value.op === "id") {
      if (value.args === "request") whole = true;
      return;
    }
    if (value.op === ".") {
      const path: string[] = [];
      let node: ASTNode = value;
      while (node.op === ".") {
        path.unshift(node.args[1]);
        node = node.args[0];
      }
      if (node.op === "id" && node.args === "request") return addPath(paths, path);
      return visit(node);
    }
    visit(value.args);
  };
  visit(root);
  return whole ? true : paths;
}

function projectEntries(list: readonly Entry[], projection: RequestProjection): FlattenedEntries {
  // `__proto__` needs a defined property; rare enough to delegate to the full flattener.
  if (projection === true || projection.has("__proto__")) return flattenEntries(list);
  const out: FlattenedEntries = {};
  for (let i = 0; i < list.length; i++) {
    const item = list[i] as Entry;
    const wanted = projection.get(item.key);
    if (wanted === undefined) continue;
    const value = item.value;
    out[item.key] = typeof value === "string" ? value : projectEntries(value, wanted);
  }
  return out;
}

function projectPrincipal(principal: Principal, projection: RequestProjection): Partial<FlattenedRequest["principal"]> {
  if (projection === true) return flattenPrincipal(principal);
  const out: Partial<FlattenedRequest["principal"]> = {};
  if (projection.has("type")) out.type = principal.type;
  const attributes = projection.get("attributes");
  if (attributes !== undefined) out.attributes = projectEntries(principal.attributes, attributes);
  const operator = projection.get("operator");
  if (operator !== undefined && principal.operator !== undefined) {
    out.operator = projectPrincipal(principal.operator, operator) as FlattenedRequest["principal"];
  }
  return out;
}

/**
 * Flattens only the projected parts of a request (the full request for `true`).
 *
 * @example
 * ```ts
 * flattenProjected(request, new Map([["action", new Map([["category", true]])]]));
 * // { action: { category: "infra.destroy" } }
 * ```
 */
export function flattenProjected(
  request: AuthorizationRequest,
  projection: RequestProjection,
): Partial<FlattenedRequest> {
  if (projection === true) return flattenAuthorizationRequest(request);
  const out: Record<string, unknown> = {};
  for (const [key, sub] of projection) {
    if (key === "principal") out.principal = projectPrincipal(request.principal, sub);
    else if (key === "action") {
      const action = request.action;
      if (sub === true) {
        out.action = flattenAuthorizationRequest(request).action;
        continue;
      }
      const flat: Record<string, unknown> = {};
      if (sub.has("type")) flat.type = action.type;
      if (sub.has("summary")) flat.summary = action.summary;
      if (sub.has("category") && action.category !== undefined) flat.category = action.category;
      const details = sub.get("details");
      if (details !== undefined && action.details !== undefined) flat.details = projectEntries(action.details, details);
      out.action = flat;
    } else if (
      key === "requestId" ||
      key === "spId" ||
      key === "timestamp" ||
      key === "expiresAt" ||
      key === "callbackUrl"
    ) {
      if (request[key] !== undefined) out[key] = request[key];
    }
  }
  return out as Partial<FlattenedRequest>;
}
