import { describe, expect, it } from "vitest";
import { StepAuthError } from "../../../lib/stepauth/errors";
import {
  authorizationRequestSchema,
  isAllowedCallbackUrl,
  parseAuthorizationRequest,
} from "../../../lib/stepauth/request-schema";
import { entryListSchema, principalSchema } from "../../../lib/stepauth/schemas";
import {
  callbackResultSchema,
  decisionSchema,
  errorBodySchema,
  pollResponseSchema,
  requestReferenceSchema,
  submitResponseSchema,
} from "../../../lib/stepauth/message-schemas";
import { vectors } from "../../fixtures/vectors";
const base = () => structuredClone(vectors.authorizationRequest.payload);

function codeOf(input: unknown, policy = {}): string | undefined {
  try {
    parseAuthorizationRequest(input, policy);
  } catch (err) {
    expect(err).toBeInstanceOf(StepAuthError);
    return (err as StepAuthError).code;
  }
  return undefined;
}

function chain(length: number, topType = "agent") {
  let principal: Record<string, unknown> = { type: "human", attributes: [] };
  for (let i = 1; i < length; i++)
    principal = { type: i === length - 1 ? topType : "service", attributes: [], operator: principal };
  return principal;
}

describe("authorization request rules", () => {
  it("accepts the vector request and returns a copy", () => {
    const input = base();
    const parsed = parseAuthorizationRequest(input);
    expect(parsed).toEqual(vectors.authorizationRequest.payload);
    expect(parsed).not.toBe(input);
  });

  it("allows up to 5 principals and rejects a 6th with operator_depth_exceeded", () => {
    expect(codeOf({ ...base(), principal: chain(5) })).toBeUndefined();
    expect(codeOf({ ...base(), principal: chain(6) })).toBe("operator_depth_exceeded");
    expect(authorizationRequestSchema.safeParse({ ...base(), principal: chain(6) }).success).toBe(false);
  });

  it("rejects an operator under a human", () => {
    const human = { type: "human", attributes: [], operator: { type: "human", attributes: [] } };
    expect(codeOf({ ...base(), principal: human })).toBe("malformed_request");
    expect(principalSchema.safeParse(human).success).toBe(false);
  });

  it("requires CEL-safe, unique entry keys at every level", () => {
    for (const key of ["1abc", "a-b", "a.b", "", "k".repeat(65), "ünï"]) {
      expect(entryListSchema.safeParse([{ key, label: "L", value: "v" }]).success).toBe(false);
    }
    for (const key of ["_a", "A1_b", "k".repeat(64)])
      expect(entryListSchema.safeParse([{ key, label: "L", value: "v" }]).success).toBe(true);
    const dup = [
      { key: "a", label: "A", value: "1" },
      { key: "a", label: "A2", value: "2" },
    ];
    expect(entryListSchema.safeParse(dup).success).toBe(false);
    const nestedDup = [{ key: "g", label: "G", value: dup }];
    const request = base();
    request.action.details = nestedDup;
    expect(codeOf(request)).toBe("malformed_request");
    expect(entryListSchema.safeParse([{ key: "g", label: "G", value: 5 }]).success).toBe(false);
  });

  it("requires a non-blank summary of at most 4,000 characters", () => {
    for (const summary of [undefined, "", "   "]) {
      const request = base();
      request.action.summary = summary;
      expect(codeOf(request)).toBe("malformed_request");
    }
    const max = base();
    max.action.summary = "😀".repeat(4000); // 4,000 characters, 8,000 UTF-16 units
    expect(codeOf(max)).toBeUndefined();
    const over = base();
    over.action.summary = "x".repeat(4001);
    expect(codeOf(over)).toBe("malformed_request");
  });

  it("requires expiresAt after timestamp, both RFC 3339", () => {
    expect(codeOf({ ...base(), expiresAt: base().timestamp })).toBe("malformed_request");
    expect(codeOf({ ...base(), expiresAt: "2026-02-18T13:00:00Z" })).toBe("malformed_request");
    expect(codeOf({ ...base(), expiresAt: "2026-02-18T16:00:00+01:00" })).toBeUndefined(); // 15:00Z
    expect(codeOf({ ...base(), timestamp: "2026-02-18 14:30:00" })).toBe("malformed_request");
    expect(codeOf({ ...base(), timestamp: "2026-02-18T14:30:00+00:00" })).toBe("malformed_request"); // UTC as Z
  });

  it("enforces the requestId format", () => {
    for (const requestId of [
      "req_short",
      "abc_a1b2c3d4e5f6a7b8c9d0",
      "req_a1b2c3d4e5f6a7b8c9d0!",
      "req_" + "a".repeat(125),
    ]) {
      expect(codeOf({ ...base(), requestId })).toBe("malformed_request");
    }
    expect(codeOf({ ...base(), requestId: "req_" + "a".repeat(16) })).toBeUndefined();
  });

  it("requires https callbacks; loopback http only when explicitly allowed", () => {
    expect(codeOf({ ...base(), callbackUrl: "http://mdm.acme.com/cb" })).toBe("invalid_callback_url");
    expect(codeOf({ ...base(), callbackUrl: "http://127.0.0.1:3000/cb" })).toBe("invalid_callback_url");
    expect(codeOf({ ...base(), callbackUrl: "http://127.0.0.1:3000/cb" }, { allowLoopbackHttp: true })).toBeUndefined();
    expect(codeOf({ ...base(), callbackUrl: "http://10.0.0.5/cb" }, { allowLoopbackHttp: true })).toBe(
      "invalid_callback_url",
    );
    expect(codeOf({ ...base(), callbackUrl: "https://user:pw@mdm.acme.com/cb" })).toBe("invalid_callback_url");
    expect(isAllowedCallbackUrl("http://[::1]:8080/cb", { allowLoopbackHttp: true })).toBe(true);
    expect(isAllowedCallbackUrl("not a url")).toBe(false);
    const { callbackUrl: _omitted, ...withoutCallback } = base();
    expect(codeOf(withoutCallback)).toBeUndefined();
    // A bad callback plus another problem is a malformed request.
    expect(codeOf({ ...base(), callbackUrl: "http://x/cb", spId: "" })).toBe("malformed_request");
  });

  it("rejects wrong principal types and missing fields", () => {
    expect(codeOf({ ...base(), principal: { type: "robot", attributes: [] } })).toBe("malformed_request");
    expect(codeOf({ ...base(), spId: undefined })).toBe("malformed_request");
    expect(codeOf(null)).toBe("malformed_request");
  });
});

describe("message schemas", () => {
  it("accept the vector decision and cancel payloads", () => {
    expect(decisionSchema.parse(vectors.decision.payload)).toEqual(vectors.decision.payload);
    expect(requestReferenceSchema.parse(vectors.cancel.payload)).toEqual(vectors.cancel.payload);
    expect(decisionSchema.safeParse({ ...vectors.decision.payload, decision: "maybe" }).success).toBe(false);
  });

  it("accept the submit, poll, callback and error bodies of the wire profile", () => {
    const requestId = vectors.decision.payload.requestId;
    expect(submitResponseSchema.parse({ requestId, status: "pending" }).status).toBe("pending");
    expect(
      submitResponseSchema.parse({ requestId, status: "decided", decision: vectors.decision.envelope }).status,
    ).toBe("decided");
    expect(submitResponseSchema.safeParse({ requestId, status: "decided" }).success).toBe(false);
    expect(pollResponseSchema.safeParse(vectors.decision.envelope).success).toBe(true);
    expect(callbackResultSchema.safeParse({ requestId, status: "error", error: "Device gone" }).success).toBe(true);
    expect(callbackResultSchema.safeParse({ requestId, status: "error" }).success).toBe(false);
    expect(errorBodySchema.safeParse({ error: "rate_limited", message: "later" }).success).toBe(true);
    expect(errorBodySchema.safeParse({ message: "later" }).success).toBe(false);
  });
});
