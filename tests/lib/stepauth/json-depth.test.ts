import { describe, expect, it } from "vitest";
import { exceedsJsonDepth, MAX_JSON_DEPTH, parseAuthorizationRequest, StepAuthError } from "../../../lib/stepauth";
import { vectors } from "../../fixtures/vectors";

describe("nesting limits", () => {
  it("measures depth without recursion, even for very deep values", () => {
    expect(exceedsJsonDepth({ a: [{ b: "x" }] }, 3)).toBe(false);
    expect(exceedsJsonDepth({ a: [{ b: "x" }] }, 2)).toBe(true);
    let deep: unknown = "x";
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(exceedsJsonDepth(deep)).toBe(true);
    expect(exceedsJsonDepth("scalar", 0)).toBe(false);
  });

  it("accepts the vectors' request and refuses one nested past the limit with malformed_request", () => {
    expect(parseAuthorizationRequest(vectors.authorizationRequest.payload).requestId).toBe("req_a1b2c3d4e5f6a7b8c9d0");
    let details: unknown = "x";
    for (let i = 0; i < MAX_JSON_DEPTH; i += 1) details = [{ key: "k", label: "K", value: details }];
    const request = {
      ...vectors.authorizationRequest.payload,
      action: { ...vectors.authorizationRequest.payload.action, details },
    };
    try {
      parseAuthorizationRequest(request);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StepAuthError);
      expect((error as StepAuthError).code).toBe("malformed_request");
    }
  });
});
