import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signEnvelope, verifyEnvelope } from "../../../lib/stepauth/envelope";
import { parseEnvelope } from "../../../lib/stepauth/envelope-parse";
import { StepAuthError } from "../../../lib/stepauth/errors";
import { generateKeyPair } from "../../../lib/stepauth/keys";

const pair = generateKeyPair();
const signers = [{ keyId: "prop-key", privateKey: pair.privateKey }];
const trusted = [{ keyId: "prop-key", publicKey: pair.publicKey }];
const jsonObjectBytes = fc
  .dictionary(fc.string(), fc.jsonValue())
  .map((value) => new TextEncoder().encode(JSON.stringify(value)));

function flipByte(text: string, index: number, xor: number): Buffer {
  const bytes = Buffer.from(text, "base64");
  const at = index % bytes.length;
  bytes[at] = (bytes[at] as number) ^ xor;
  return bytes;
}

describe("envelope properties", () => {
  it("sign → verify round-trips arbitrary JSON object payloads byte for byte", () => {
    fc.assert(
      fc.property(jsonObjectBytes, (bytes) => {
        const verified = verifyEnvelope(JSON.stringify(signEnvelope(bytes, signers)), trusted);
        expect(Buffer.from(verified.payloadBytes).equals(Buffer.from(bytes))).toBe(true);
        expect(verified.keyId).toBe("prop-key");
      }),
      { numRuns: 200 },
    );
  });

  it("any single-byte change to the payload is rejected", () => {
    fc.assert(
      fc.property(jsonObjectBytes, fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, index, xor) => {
        const envelope = signEnvelope(bytes, signers);
        const payload = flipByte(envelope.payload, index, xor).toString("base64");
        expect(() => verifyEnvelope({ ...envelope, payload }, trusted)).toThrow(StepAuthError);
        try {
          verifyEnvelope({ ...envelope, payload }, trusted);
        } catch (err) {
          // A flipped byte either breaks the JSON (malformed) or the signature.
          expect(["invalid_signature", "malformed_request"]).toContain((err as StepAuthError).code);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("any single-byte change to the signature is rejected with invalid_signature", () => {
    fc.assert(
      fc.property(jsonObjectBytes, fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, index, xor) => {
        const envelope = signEnvelope(bytes, signers);
        const entry = envelope.signatures[0]!;
        const signature = flipByte(entry.signature, index, xor).toString("base64");
        const tampered = { ...envelope, signatures: [{ ...entry, signature }] };
        expect(() => verifyEnvelope(tampered, trusted)).toThrowError(
          expect.objectContaining({ code: "invalid_signature" }),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("the parser and verifier throw nothing but coded StepAuthErrors on arbitrary input", () => {
    const signatureEntry = fc.record({
      algorithm: fc.oneof(fc.constant("ed25519"), fc.string()),
      keyId: fc.oneof(fc.constant("prop-key"), fc.string()),
      signature: fc.oneof(fc.base64String(), fc.string()),
    });
    const envelopeLike = fc.record(
      {
        payload: fc.oneof(fc.base64String(), fc.string(), fc.anything()),
        signatures: fc.oneof(fc.array(signatureEntry), fc.anything()),
      },
      { requiredKeys: [] },
    );
    const input = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.uint8Array(),
      envelopeLike,
      envelopeLike.map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(input, (value) => {
        for (const run of [() => parseEnvelope(value), () => verifyEnvelope(value, trusted)]) {
          try {
            run();
          } catch (err) {
            expect(err).toBeInstanceOf(StepAuthError);
            expect(["malformed_request", "invalid_signature"]).toContain((err as StepAuthError).code);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
