import { describe, expect, it } from "vitest";
import { StepAuthError } from "../../../lib/stepauth/errors";
import {
  exportPublicKeyJwk,
  generateKeyPair,
  importPrivateKey,
  importPublicKey,
  isValidKeyId,
  publicKeyFromPrivateKey,
} from "../../../lib/stepauth/keys";
import { vectors } from "../../fixtures/vectors";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof StepAuthError ? err.code : "not-a-stepauth-error";
  }
  return undefined;
}

describe("keys", () => {
  it("generates Ed25519 pairs in the pinned base64 DER encodings", () => {
    const { publicKey, privateKey } = generateKeyPair();
    expect(publicKey.startsWith("MCowBQYDK2VwAyEA")).toBe(true);
    expect(privateKey.startsWith("MC4CAQAwBQYDK2VwBCIEI")).toBe(true);
    expect(publicKeyFromPrivateKey(privateKey)).toBe(publicKey);
  });

  it("imports the vector keys and derives each public key from its private key", () => {
    for (const party of [vectors.keys.sp, vectors.keys.authorizer]) {
      expect(importPublicKey(party.publicKey).asymmetricKeyType).toBe("ed25519");
      expect(importPrivateKey(party.privateKey).type).toBe("private");
      expect(publicKeyFromPrivateKey(party.privateKey)).toBe(party.publicKey);
    }
  });

  it("caches imported keys by their encoding", () => {
    expect(importPublicKey(vectors.keys.sp.publicKey)).toBe(importPublicKey(vectors.keys.sp.publicKey));
  });

  it("rejects anything but canonical Ed25519 DER with invalid_key, without echoing it", () => {
    const x25519Spki = "MCowBQYDK2VuAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    const cases = [
      "",
      "not base64",
      vectors.keys.sp.publicKey.replace("=", ""),
      vectors.keys.sp.privateKey,
      x25519Spki,
      "AAAA",
    ];
    for (const input of cases) expect(codeOf(() => importPublicKey(input))).toBe("invalid_key");
    expect(codeOf(() => importPrivateKey(vectors.keys.sp.publicKey))).toBe("invalid_key");
    try {
      importPrivateKey(`${vectors.keys.sp.privateKey.slice(0, -4)}AAAA`);
    } catch (err) {
      expect((err as Error).message).not.toContain(vectors.keys.sp.privateKey.slice(10, 30));
    }
  });

  it("validates keyIds per the wire profile", () => {
    for (const ok of ["sp-key-2024", "a", "A.b_c:d-1", "k".repeat(128)]) expect(isValidKeyId(ok)).toBe(true);
    for (const bad of ["", "has space", "k".repeat(129), "slash/no", 5, null]) expect(isValidKeyId(bad)).toBe(false);
  });

  it("exports a public key as an OKP/Ed25519 JWK with kid", async () => {
    const jwk = await exportPublicKeyJwk(vectors.keys.authorizer.publicKey, "auth-key-2024");
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: "auth-key-2024", alg: "EdDSA", use: "sig" });
    expect(Buffer.from(jwk.x as string, "base64url")).toEqual(
      Buffer.from(vectors.keys.authorizer.publicKey, "base64").subarray(12),
    );
    expect(jwk).not.toHaveProperty("d");
    await expect(exportPublicKeyJwk(vectors.keys.authorizer.publicKey, "bad id")).rejects.toMatchObject({
      code: "invalid_key_id",
    });
  });
});
