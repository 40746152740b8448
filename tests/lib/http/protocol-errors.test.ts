import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError, errorStatus, toAppError } from "@/lib/errors/app-error";
import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { StepAuthError, WIRE_ERROR_CODES, STEPAUTH_ERROR_CODES } from "@/lib/stepauth";
import { bearer, callRoute } from "../../setup/http";
import { createTestTenant, setupTestDatabase } from "../../setup/database";

const db = setupTestDatabase();

// A protocol-core failure that no handler converted still answers as the protocol says, never a 500.
describe("a StepAuthError thrown inside a wrapped route", () => {
  it("answers each wire code with its PROTOCOL.md status and the JSON error body", async () => {
    const tenant = await createTestTenant(db());
    for (const code of WIRE_ERROR_CODES) {
      const route = apiRoute({
        GET: withApiKey("requests:read", async () => {
          throw new StepAuthError(code, `failed with ${code}`);
        }),
      });
      const response = await callRoute(route.GET, { headers: bearer(tenant.apiKey) });
      expect(response.status, code).toBe(STEPAUTH_ERROR_CODES[code].httpStatus);
      expect(response.body).toEqual({ error: code, message: `failed with ${code}` });
    }
  });

  it("answers a local failure (a key or answer of ours) as internal_error without its message", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const route = apiRoute({
      GET: async () => {
        throw new StepAuthError("invalid_key", "private key bytes are wrong");
      },
    });
    const response = await callRoute(route.GET);
    expect(response.status).toBe(500);
    expect(response.body.error).toBe("internal_error");
    expect(JSON.stringify(response.body)).not.toContain("private key");
    logged.mockRestore();
  });

  it("answers an authorizer's error answer as our internal_error (logged), never as the API client's wire code", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    // As lib/stepauth/client-responses.ts builds it from an authorizer's 401 {"error":"invalid_signature"}.
    const remote = new StepAuthError("invalid_signature", "bad signature", {
      details: { status: 401, attempts: 1, error: "invalid_signature" },
    });
    const route = apiRoute({
      GET: async () => {
        throw remote;
      },
    });
    const response = await callRoute(route.GET);
    expect(response.status).toBe(500);
    expect(response.body.error).toBe("internal_error");
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
    expect(toAppError(remote)).toMatchObject({ code: "internal_error", status: 500 });
  });
});

describe("toAppError: what a protocol failure means depends on whose message failed", () => {
  const depth = new StepAuthError("operator_depth_exceeded", "chain too deep");
  const malformed = new StepAuthError("malformed_request", "principal.type is missing", { details: { path: "x" } });
  const localKey = new StepAuthError("invalid_key_id", "signer keyId has an invalid format");

  it("a peer's own message: wire codes as themselves, any other failure is its malformed_request", () => {
    expect(toAppError(malformed, "peer")).toMatchObject({ code: "malformed_request", status: 400 });
    expect(toAppError(new StepAuthError("unknown_sp", "x"), "peer")).toMatchObject({ code: "unknown_sp", status: 401 });
    expect(toAppError(localKey, "peer")).toMatchObject({ code: "malformed_request", status: 400 });
    expect(toAppError(z.string().safeParse(1).error, "peer")).toMatchObject({ code: "malformed_request", status: 400 });
  });

  it("a message built from an API client's body: validation_failed, but depth and our callback URL keep their meaning", () => {
    expect(toAppError(malformed, "client")).toMatchObject({ code: "validation_failed", details: { path: "x" } });
    expect(toAppError(depth, "client")).toMatchObject({ code: "operator_depth_exceeded", status: 400 });
    expect(toAppError(new StepAuthError("invalid_callback_url", "x"), "client")).toMatchObject({ code: "conflict" });
  });

  it("passes AppErrors through, turns zod failures into validation_failed and leaves bugs alone", () => {
    const appError = new AppError("not_found", "No such thing");
    expect(toAppError(appError)).toBe(appError);
    expect(toAppError(z.string().safeParse(1).error)).toMatchObject({ code: "validation_failed" });
    expect(toAppError(new TypeError("bug"))).toBeNull();
  });

  it("reads the wire codes' statuses from the protocol core's table: one table, not two", () => {
    for (const code of WIRE_ERROR_CODES) expect(errorStatus[code]).toBe(STEPAUTH_ERROR_CODES[code].httpStatus);
  });
});
