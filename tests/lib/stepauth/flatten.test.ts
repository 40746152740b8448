import { describe, expect, it } from "vitest";
import { flattenAuthorizationRequest, flattenEntries } from "../../../lib/stepauth/flatten";
import { parseAuthorizationRequest } from "../../../lib/stepauth/request-schema";
import { flattenProjected, projectionOf } from "../../../lib/stepauth/routing-projection";
import { routingEnvironment } from "../../../lib/stepauth/routing-script";
import { vectors } from "../../fixtures/vectors";
const request = parseAuthorizationRequest(vectors.authorizationRequest.payload);

describe("flattening", () => {
  it("matches the vector's flattened form exactly, through the operator chain", () => {
    expect(flattenAuthorizationRequest(request)).toStrictEqual(vectors.authorizationRequest.flattened);
  });

  it("keeps absent optional fields absent", () => {
    const { callbackUrl: _c, ...rest } = vectors.authorizationRequest.payload;
    const bare = parseAuthorizationRequest({ ...rest, action: { type: "a.b", summary: "If approved, x." } });
    const flat = flattenAuthorizationRequest(bare);
    expect(flat).not.toHaveProperty("callbackUrl");
    expect(flat.action).toEqual({ type: "a.b", summary: "If approved, x." });
  });

  it("stores a __proto__ key as data, never as the prototype", () => {
    const flat = flattenEntries([
      { key: "__proto__", label: "P", value: [{ key: "polluted", label: "X", value: "yes" }] },
    ]);
    expect(Object.getPrototypeOf(flat)).toBe(Object.prototype);
    expect(Object.hasOwn(flat, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("script-directed projection", () => {
  const projected = (script: string) => flattenProjected(request, projectionOf(routingEnvironment.parse(script).ast));

  it("flattens only the paths a script reads", () => {
    expect(projected('request.action.details.device.serial == "x" ? ["a"] : ["b"]')).toEqual({
      action: { details: { device: { serial: "C02ZX1ABCDEF" } } },
    });
    expect(projected('request.principal.operator.attributes.email == "x" ? ["a"] : ["b"]')).toEqual({
      principal: { operator: { attributes: { email: "it-admin@acme.com" } } },
    });
  });

  it("falls back to the full flattening when the script uses request as a whole", () => {
    expect(projected('size(request) > 0 ? ["a"] : ["b"]')).toStrictEqual(vectors.authorizationRequest.flattened);
    expect(projected('request.action.details.exists(k, k == "reason") ? ["a"] : ["b"]')).toEqual({
      action: { details: vectors.authorizationRequest.flattened.action.details },
    });
  });

  it("leaves keys absent exactly where the full flattening has none", () => {
    expect(projected('request.action.details.amount > 1 ? ["a"] : ["b"]')).toEqual({ action: { details: {} } });
  });
});
