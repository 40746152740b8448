import { describe, expect, it } from "vitest";
import { generateKeyPair } from "../../../lib/stepauth/keys";
import { parseEnvelope, MAX_ENVELOPE_BYTES } from "../../../lib/stepauth/envelope-parse";
import { signEnvelope, signJsonPayload, verifyEnvelope } from "../../../lib/stepauth/envelope";
import { vectors } from "../../fixtures/vectors";
import { codeOf } from "./stepauth-code";
const sp = vectors.keys.sp;
const authorizer = vectors.keys.authorizer;
const spTrusted = [{ keyId: sp.keyId, publicKey: sp.publicKey }];
const authTrusted = [{ keyId: authorizer.keyId, publicKey: authorizer.publicKey }];
const utf8 = (text: string) => new TextEncoder().encode(text);

describe("vectors: byte-exact signing", () => {
  it("reproduces the authorization request envelope from payloadJson", () => {
    const envelope = signEnvelope(utf8(vectors.authorizationRequest.payloadJson), [
      { keyId: sp.keyId, privateKey: sp.privateKey },
    ]);
    expect(envelope).toEqual(vectors.authorizationRequest.envelope);
  });

  it("reproduces the request envelope from the payload object (JSON.stringify is the canonical form)", () => {
    expect(
      signJsonPayload(vectors.authorizationRequest.payload, [{ keyId: sp.keyId, privateKey: sp.privateKey }]),
    ).toEqual(vectors.authorizationRequest.envelope);
  });

  it("reproduces the decision and cancel envelopes", () => {
    expect(
      signJsonPayload(vectors.decision.payload, [{ keyId: authorizer.keyId, privateKey: authorizer.privateKey }]),
    ).toEqual(vectors.decision.envelope);
    expect(signJsonPayload(vectors.cancel.payload, [{ keyId: sp.keyId, privateKey: sp.privateKey }])).toEqual(
      vectors.cancel.envelope,
    );
  });
});

describe("vectors: verification", () => {
  it("verifies each vector envelope and returns the exact payload bytes and keyId", () => {
    const request = verifyEnvelope(vectors.authorizationRequest.envelope, spTrusted);
    expect(Buffer.from(request.payloadBytes).toString("utf8")).toBe(vectors.authorizationRequest.payloadJson);
    expect(request.keyId).toBe("sp-key-2024");
    expect(request.payload).toEqual(vectors.authorizationRequest.payload);
    const decision = verifyEnvelope(JSON.stringify(vectors.decision.envelope), authTrusted);
    expect(decision.payload).toEqual(vectors.decision.payload);
    expect(verifyEnvelope(vectors.cancel.envelope, spTrusted).payload).toEqual(vectors.cancel.payload);
  });

  it.each(Object.keys(vectors.mustReject))("rejects mustReject.%s with invalid_signature", (name) => {
    expect(codeOf(() => verifyEnvelope(vectors.mustReject[name], authTrusted))).toBe("invalid_signature");
  });

  it.each(Object.keys(vectors.mustAccept))("accepts mustAccept.%s, skipping the unknown algorithm", (name) => {
    const verified = verifyEnvelope(vectors.mustAccept[name], authTrusted);
    expect(verified.keyId).toBe("auth-key-2024");
    expect(verified.payload).toEqual(vectors.decision.payload);
  });

  it("rejects a decision checked against the SP's key (wrong party)", () => {
    expect(
      codeOf(() => verifyEnvelope(vectors.decision.envelope, [{ keyId: authorizer.keyId, publicKey: sp.publicKey }])),
    ).toBe("invalid_signature");
  });
});

describe("key rotation", () => {
  const next = generateKeyPair();
  const both = signEnvelope(utf8('{"a":1}'), [
    { keyId: "sp-key-2025", privateKey: next.privateKey },
    { keyId: sp.keyId, privateKey: sp.privateKey },
  ]);

  it("an envelope signed with old and new keys verifies with either", () => {
    expect(verifyEnvelope(both, spTrusted).keyId).toBe("sp-key-2024");
    expect(verifyEnvelope(both, [{ keyId: "sp-key-2025", publicKey: next.publicKey }]).keyId).toBe("sp-key-2025");
  });

  it("refuses duplicate signer keyIds and bad keyIds before signing", () => {
    const signer = { keyId: sp.keyId, privateKey: sp.privateKey };
    expect(codeOf(() => signEnvelope(utf8("{}"), [signer, signer]))).toBe("invalid_key_id");
    expect(codeOf(() => signEnvelope(utf8("{}"), [{ keyId: "bad key", privateKey: sp.privateKey }]))).toBe(
      "invalid_key_id",
    );
    expect(codeOf(() => signEnvelope(utf8("{}"), []))).toBe("malformed_request");
    expect(codeOf(() => signEnvelope(utf8("[1]"), [signer]))).toBe("malformed_request");
    expect(codeOf(() => signEnvelope(utf8("{}"), [{ keyId: "k", privateKey: sp.publicKey }]))).toBe("invalid_key");
  });
});

describe("envelope structure and encoding", () => {
  const good = vectors.decision.envelope;

  it("rejects non-canonical base64 payloads as malformed_request", () => {
    // A payload whose base64 has padding and both "+" and "/" characters.
    const signed = signJsonPayload({ v: "\u00fb\u00ff\u00fe>?" }, [{ keyId: sp.keyId, privateKey: sp.privateKey }]);
    expect(signed.payload).toMatch(/[+/].*=$/);
    expect(verifyEnvelope(signed, spTrusted).keyId).toBe(sp.keyId);
    const variants = [
      signed.payload.replace(/=+$/, ""), // padding missing
      signed.payload.replace(/\+/g, "-").replace(/\//g, "_"), // URL-safe alphabet
      ` ${signed.payload}`,
      `${signed.payload}\n`,
      `${signed.payload.slice(0, 8)}\n${signed.payload.slice(8)}`,
    ];
    for (const payload of variants) {
      expect(codeOf(() => verifyEnvelope({ ...signed, payload }, spTrusted))).toBe("malformed_request");
    }
    // "e31=" decodes to "{}" like "e30=" but with non-zero pad bits.
    expect(codeOf(() => verifyEnvelope({ payload: "e31=", signatures: signed.signatures }, spTrusted))).toBe(
      "malformed_request",
    );
  });

  it("rejects a payload that is not a JSON object", () => {
    const notObject = Buffer.from("[1,2]").toString("base64");
    const notJson = Buffer.from("hello").toString("base64");
    const badUtf8 = Buffer.from([0x7b, 0xff, 0x7d]).toString("base64");
    for (const payload of [notObject, notJson, badUtf8]) {
      expect(codeOf(() => verifyEnvelope({ ...good, payload }, authTrusted))).toBe("malformed_request");
    }
  });

  it("treats a malformed signature on a trusted key as invalid_signature", () => {
    const short = { ...good, signatures: [{ ...good.signatures[0], signature: "AAAA" }] };
    const nonCanonical = {
      ...good,
      signatures: [{ ...good.signatures[0], signature: good.signatures[0].signature.replace("==", "") }],
    };
    expect(codeOf(() => verifyEnvelope(short, authTrusted))).toBe("invalid_signature");
    expect(codeOf(() => verifyEnvelope(nonCanonical, authTrusted))).toBe("invalid_signature");
  });

  it("rejects wrong shapes as malformed_request", () => {
    const cases: unknown[] = [
      null,
      42,
      "not json",
      "[]",
      {},
      { payload: good.payload },
      { payload: good.payload, signatures: [] },
      { payload: 1, signatures: good.signatures },
      { payload: good.payload, signatures: [{ algorithm: "ed25519", keyId: 1, signature: "x" }] },
      { payload: good.payload, signatures: Array(17).fill(good.signatures[0]) },
    ];
    for (const input of cases) expect(codeOf(() => parseEnvelope(input))).toBe("malformed_request");
  });

  it("enforces the 64 KiB limit on text and on parsed envelopes, and when signing", () => {
    const big = "x".repeat(MAX_ENVELOPE_BYTES);
    expect(codeOf(() => parseEnvelope(JSON.stringify({ payload: big, signatures: good.signatures })))).toBe(
      "malformed_request",
    );
    expect(codeOf(() => parseEnvelope({ payload: big, signatures: good.signatures }))).toBe("malformed_request");
    const payload = utf8(`{"a":"${"y".repeat(50_000)}"}`);
    expect(codeOf(() => signEnvelope(payload, [{ keyId: sp.keyId, privateKey: sp.privateKey }]))).toBe(
      "malformed_request",
    );
    const fits = utf8(`{"a":"${"y".repeat(40_000)}"}`);
    expect(verifyEnvelope(signEnvelope(fits, [{ keyId: sp.keyId, privateKey: sp.privateKey }]), spTrusted).keyId).toBe(
      sp.keyId,
    );
  });

  it("ignores unknown top-level fields and accepts bytes input", () => {
    const text = JSON.stringify({ ...good, extra: true });
    expect(verifyEnvelope(utf8(text), authTrusted).keyId).toBe("auth-key-2024");
    expect(parseEnvelope(text)).not.toHaveProperty("extra");
  });
});
