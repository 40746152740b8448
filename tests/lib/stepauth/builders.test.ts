import { describe, expect, it } from "vitest";
import { buildAuthorizationRequest, entries, entry, group } from "../../../lib/stepauth/builders";
import { generateRequestId } from "../../../lib/stepauth/request-id";
import { REQUEST_ID_PATTERN } from "../../../lib/stepauth/schemas";
import { vectors } from "../../fixtures/vectors";

describe("builders", () => {
  it("build the vector's details exactly", () => {
    const details = entries(
      group(
        "device",
        "Device",
        entry("name", "Name", 'Jane’s MacBook Pro 16"'),
        entry("serial", "Serial", "C02ZX1ABCDEF"),
      ),
      group(
        "target_user",
        "Target user",
        entry("email", "Email", "jane.doe@acme.com"),
        entry("department", "Department", "Engineering"),
      ),
      entry("reason", "Reason", "Employee offboarding"),
      entry("reversible", "Reversible", "No"),
    );
    expect(details).toEqual(vectors.authorizationRequest.payload.action.details);
  });

  it("reject bad and duplicate keys where they are written", () => {
    expect(() => entry("bad-key", "Bad", "x")).toThrowError(expect.objectContaining({ code: "malformed_request" }));
    expect(() => entries(entry("a", "A", "1"), entry("a", "A", "2"))).toThrowError(
      expect.objectContaining({ code: "malformed_request" }),
    );
    expect(() => group("g", "G", entry("a", "A", "1"), entry("a", "A", "2"))).toThrowError(
      expect.objectContaining({ code: "malformed_request" }),
    );
  });

  it("buildAuthorizationRequest fills id and times from the injected clock and validates", () => {
    const request = buildAuthorizationRequest(
      {
        spId: "sp_acme_mdm",
        expiresIn: 1800,
        callbackUrl: "https://mdm.acme.com/stepauth/cb",
        principal: { type: "human", attributes: entries(entry("email", "Email", "it-admin@acme.com")) },
        action: { type: "device.wipe", category: "infra.destroy", summary: "If approved, the laptop is wiped." },
      },
      { now: () => new Date("2026-02-18T14:30:00Z"), generateId: () => "req_a1b2c3d4e5f6a7b8c9d0" },
    );
    expect(request).toMatchObject({
      requestId: "req_a1b2c3d4e5f6a7b8c9d0",
      timestamp: "2026-02-18T14:30:00Z",
      expiresAt: "2026-02-18T15:00:00Z",
    });
    expect(REQUEST_ID_PATTERN.test(buildAuthorizationRequest({ ...minimal(), expiresIn: 60 }).requestId)).toBe(true);
    expect(() => buildAuthorizationRequest({ ...minimal(), expiresIn: 0 })).toThrowError(
      expect.objectContaining({ code: "malformed_request" }),
    );
    expect(() => buildAuthorizationRequest({ ...minimal(), callbackUrl: "http://evil.example/cb" })).toThrowError(
      expect.objectContaining({ code: "invalid_callback_url" }),
    );
  });
});

function minimal() {
  return {
    spId: "sp_x",
    expiresIn: 60,
    principal: { type: "service" as const, attributes: [] },
    action: { type: "x.y", summary: "If approved, something happens." },
  };
}

describe("generateRequestId", () => {
  it("is req_ + 22 URL-safe characters from the random source", () => {
    const id = generateRequestId();
    expect(id).toMatch(/^req_[A-Za-z0-9_-]{22}$/);
    expect(generateRequestId()).not.toBe(id);
    expect(generateRequestId((size) => new Uint8Array(size).fill(255))).toBe("req_" + "_".repeat(21) + "w");
  });
});
