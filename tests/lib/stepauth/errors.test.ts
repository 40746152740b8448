import { describe, expect, it } from "vitest";
import {
  isStepAuthError,
  isWireErrorCode,
  STEPAUTH_ERROR_CODES,
  StepAuthError,
  WIRE_ERROR_CODES,
} from "../../../lib/stepauth/errors";

describe("error codes", () => {
  it("match the HTTP statuses of PROTOCOL.md's error table", () => {
    const table = {
      invalid_signature: 401,
      unknown_sp: 401,
      malformed_request: 400,
      invalid_callback_url: 400,
      operator_depth_exceeded: 400,
      unknown_request: 404,
      duplicate_request: 409,
      rate_limited: 429,
    };
    for (const [code, status] of Object.entries(table)) {
      expect(STEPAUTH_ERROR_CODES[code as keyof typeof STEPAUTH_ERROR_CODES].httpStatus).toBe(status);
    }
    expect([...WIRE_ERROR_CODES].sort()).toEqual(Object.keys(table).sort());
  });

  it("carry code, status and the wire error body", () => {
    const err = new StepAuthError("rate_limited", "slow down", { details: { retryAfterMs: 1000 } });
    expect(err).toBeInstanceOf(Error);
    expect(err.httpStatus).toBe(429);
    expect(err.toErrorBody()).toEqual({ error: "rate_limited", message: "slow down" });
    expect(isStepAuthError(err, "rate_limited")).toBe(true);
    expect(isStepAuthError(err, "unknown_sp")).toBe(false);
    expect(isStepAuthError(new Error("x"))).toBe(false);
    expect(new StepAuthError("invalid_key", "x").httpStatus).toBeUndefined();
  });

  it("narrow only wire codes", () => {
    expect(isWireErrorCode("unknown_request")).toBe(true);
    expect(isWireErrorCode("invalid_key")).toBe(false);
    expect(isWireErrorCode("toString")).toBe(false);
    expect(isWireErrorCode(401)).toBe(false);
  });
});
