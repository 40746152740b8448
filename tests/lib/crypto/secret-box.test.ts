import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { needsResealing, openSecret, parseKeyring, sealSecret } from "@/lib/crypto/secret-box";

const key = () => randomBytes(32).toString("base64");

describe("secret box (AES-256-GCM at rest)", () => {
  it("round-trips and never stores the plaintext", () => {
    const ring = parseKeyring(key());
    const sealed = sealSecret("MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v", "tenant:a:signing-key:k1", ring);
    expect(sealed.keyVersion).toBe("1");
    expect(sealed.ciphertext).not.toContain("MC4CAQAw");
    expect(openSecret(sealed, "tenant:a:signing-key:k1", ring)).toBe("MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v");
  });

  it("refuses a ciphertext moved to another context (another tenant or row)", () => {
    const ring = parseKeyring(key());
    const sealed = sealSecret("secret", "tenant:a:signing-key:k1", ring);
    expect(() => openSecret(sealed, "tenant:b:signing-key:k1", ring)).toThrow();
  });

  it("refuses a tampered ciphertext", () => {
    const ring = parseKeyring(key());
    const sealed = sealSecret("secret", "ctx", ring);
    const raw = Buffer.from(sealed.ciphertext, "base64");
    raw[14] = (raw[14] ?? 0) ^ 1;
    expect(() => openSecret({ ...sealed, ciphertext: raw.toString("base64") }, "ctx", ring)).toThrow();
    expect(() => openSecret({ ...sealed, ciphertext: "AAAA" }, "ctx", ring)).toThrow(/truncated/);
  });

  it("rotates: the new key seals, the old one still opens what it sealed", () => {
    const oldKey = key();
    const before = parseKeyring(`1:${oldKey}`);
    const sealed = sealSecret("secret", "ctx", before);
    const after = parseKeyring(`2:${key()},1:${oldKey}`);
    expect(openSecret(sealed, "ctx", after)).toBe("secret");
    expect(needsResealing(sealed, after)).toBe(true);
    expect(sealSecret("secret", "ctx", after).keyVersion).toBe("2");
    expect(() => openSecret(sealed, "ctx", parseKeyring(`2:${key()}`))).toThrow(/version 1/);
  });

  it("rejects keys that are not 32 bytes", () => {
    expect(() => parseKeyring("c2hvcnQ=")).toThrow(/32-byte/);
  });
  it("follows the configuration when it is read again (a bench or test that sets its own key)", () => {
    const before = process.env.APP_ENCRYPTION_KEY;
    try {
      process.env.APP_ENCRYPTION_KEY = randomBytes(32).toString("base64"); // re-reads the configuration
      const sealed = sealSecret("signing key", "tenant:a:signing-key:k1");
      expect(openSecret(sealed, "tenant:a:signing-key:k1")).toBe("signing key");
      process.env.APP_ENCRYPTION_KEY = randomBytes(32).toString("base64");
      // Under the new key only: the ciphertext sealed with the previous one no longer opens.
      expect(() => openSecret(sealed, "tenant:a:signing-key:k1")).toThrow();
    } finally {
      if (before === undefined) delete process.env.APP_ENCRYPTION_KEY;
      else process.env.APP_ENCRYPTION_KEY = before;
    }
  });
});
