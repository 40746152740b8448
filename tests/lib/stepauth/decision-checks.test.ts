import { describe, expect, it } from "vitest";
import { checkDecision, type StoredRequestFacts } from "../../../lib/stepauth/decision-checks";
import { vectors } from "../../fixtures/vectors";
const decision = vectors.decision.payload;
const stored: StoredRequestFacts = {
  requestId: decision.requestId,
  spId: decision.spId,
  requestTimestamp: "2026-02-18T14:35:00Z",
  expiresAt: "2026-02-18T15:00:00Z",
  status: "pending",
  authorizerEnabled: true,
};
const now = new Date("2026-02-18T14:41:08Z");

describe("checkDecision", () => {
  it("accepts the vector decision for its pending request", () => {
    expect(checkDecision(stored, decision, now)).toEqual({ accept: true });
    expect(checkDecision({ ...stored, expiresAt: new Date("2026-02-18T15:00:00Z") }, decision, now.getTime())).toEqual({
      accept: true,
    });
  });

  it.each([
    ["unknown_request", undefined, decision],
    ["request_mismatch", { ...stored, requestId: "req_zzzzzzzzzzzzzzzzzzzz" }, decision],
    ["sp_mismatch", stored, { ...decision, spId: "sp_other" }],
    ["cancelled", { ...stored, status: "cancelled" }, decision],
    ["already_decided", { ...stored, status: "decided" }, decision],
    ["expired", { ...stored, status: "expired" }, decision],
    ["authorizer_disabled", { ...stored, authorizerEnabled: false }, decision],
    ["stale_timestamp", stored, { ...decision, timestamp: "2001-02-18T14:41:07Z" }],
    ["stale_timestamp", stored, { ...decision, timestamp: "2026-02-18T14:29:59Z" }],
    ["stale_timestamp", stored, { ...decision, timestamp: "2026-02-18T14:46:09Z" }],
    ["stale_timestamp", stored, { ...decision, timestamp: "not a time" }],
    ["expired", { ...stored, expiresAt: "2026-02-18T14:41:08Z" }, decision],
    ["expired", { ...stored, expiresAt: "not a date" }, decision],
  ] as const)("rejects with %s", (code, facts, payload) => {
    expect(checkDecision(facts as StoredRequestFacts | undefined, payload, now)).toEqual({ accept: false, code });
  });

  it("accepts a decision timestamp at either end of the window", () => {
    expect(checkDecision(stored, { ...decision, timestamp: "2026-02-18T14:30:00Z" }, now)).toEqual({ accept: true });
    expect(checkDecision(stored, { ...decision, timestamp: "2026-02-18T14:46:08Z" }, now)).toEqual({ accept: true });
  });

  it("refuses a disabled authorizer's decision and a stale one before looking at the request's state", () => {
    expect(checkDecision({ ...stored, status: "cancelled", authorizerEnabled: false }, decision, now)).toEqual({
      accept: false,
      code: "authorizer_disabled",
    });
    expect(
      checkDecision({ ...stored, status: "decided" }, { ...decision, timestamp: "2001-01-01T00:00:00Z" }, now),
    ).toEqual({ accept: false, code: "stale_timestamp" });
  });

  it("checks a replayed decision for another SP before state (cross-SP replay)", () => {
    expect(checkDecision({ ...stored, status: "decided" }, { ...decision, spId: "sp_evil" }, now)).toEqual({
      accept: false,
      code: "sp_mismatch",
    });
  });
});
