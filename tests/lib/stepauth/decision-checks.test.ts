import { describe, expect, it } from "vitest";
import { checkDecision, type StoredRequestFacts } from "../../../lib/stepauth/decision-checks";
import { vectors } from "../../fixtures/vectors";
const decision = vectors.decision.payload;
const stored: StoredRequestFacts = { requestId: decision.requestId, spId: decision.spId, expiresAt: "2026-02-18T15:00:00Z", status: "pending" };
const now = new Date("2026-02-18T14:41:08Z");

describe("checkDecision", () => {
  it("accepts the vector decision for its pending request", () => {
    expect(checkDecision(stored, decision, now)).toEqual({ accept: true });
    expect(checkDecision({ ...stored, expiresAt: new Date("2026-02-18T15:00:00Z") }, decision, now.getTime())).toEqual({ accept: true });
  });

  it.each([
    ["unknown_request", undefined, decision],
    ["request_mismatch", { ...stored, requestId: "req_zzzzzzzzzzzzzzzzzzzz" }, decision],
    ["sp_mismatch", stored, { ...decision, spId: "sp_other" }],
    ["cancelled", { ...stored, status: "cancelled" }, decision],
    ["already_decided", { ...stored, status: "decided" }, decision],
    ["expired", { ...stored, expiresAt: "2026-02-18T14:41:08Z" }, decision],
    ["expired", { ...stored, expiresAt: "not a date" }, decision],
  ] as const)("rejects with %s", (code, facts, payload) => {
    expect(checkDecision(facts as StoredRequestFacts | undefined, payload, now)).toEqual({ accept: false, code });
  });

  it("checks a replayed decision for another SP before state (cross-SP replay)", () => {
    expect(checkDecision({ ...stored, status: "decided" }, { ...decision, spId: "sp_evil" }, now)).toEqual({ accept: false, code: "sp_mismatch" });
  });
});
