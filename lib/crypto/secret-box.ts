import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { secretFromEnvOrDataDir } from "@/lib/config/data-dir";
import { config } from "@/lib/config/env";

/** A secret encrypted at rest: AES-256-GCM, with the version of the key that sealed it. */
export interface SealedSecret {
  keyVersion: string;
  /** base64 of iv (12) ‖ ciphertext ‖ tag (16). */
  ciphertext: string;
}

export interface Keyring {
  current: { version: string; key: Buffer };
  byVersion: ReadonlyMap<string, Buffer>;
}

/**
 * Parses `APP_ENCRYPTION_KEY`: either one base64 key (version "1") or a comma list
 * `3:base64,2:base64` whose first entry seals new secrets and whose others still open old ones.
 */
export function parseKeyring(value: string): Keyring {
  const entries = value.split(",").map((part, index) => {
    const [maybeVersion, maybeKey] = part.trim().split(":");
    const [version, keyB64] = maybeKey === undefined ? ["1", maybeVersion] : [maybeVersion, maybeKey];
    const key = Buffer.from(keyB64 ?? "", "base64");
    if (!version || key.length !== 32) {
      throw new Error(
        `APP_ENCRYPTION_KEY entry ${index + 1} must be a base64 32-byte key, optionally prefixed "version:"`,
      );
    }
    return [version, key] as const;
  });
  const first = entries[0];
  if (!first) throw new Error("APP_ENCRYPTION_KEY is empty");
  return { current: { version: first[0], key: first[1] }, byVersion: new Map(entries) };
}

// Parsed once per configuration read: after resetConfigForTests() (a test or bench that sets its own
// key) the keyring follows the configuration instead of keeping the key read first.
let cachedKeyring: { from: ReturnType<typeof config>; keyring: Keyring } | undefined;
function appKeyring(): Keyring {
  const settings = config();
  if (cachedKeyring?.from !== settings)
    cachedKeyring = {
      from: settings,
      keyring: parseKeyring(secretFromEnvOrDataDir("APP_ENCRYPTION_KEY", "encryption-key")),
    };
  return cachedKeyring.keyring;
}

/**
 * Encrypts `plaintext`. `context` (e.g. `tenant:<id>:signing-key:<keyId>`) is bound as associated
 * data, so a ciphertext copied to another row or tenant no longer opens.
 */
export function sealSecret(plaintext: string, context: string, keyring: Keyring = appKeyring()): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyring.current.key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return {
    keyVersion: keyring.current.version,
    ciphertext: Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64"),
  };
}

/** Decrypts a sealed secret; throws if the key version is unknown or the ciphertext or context was altered. */
export function openSecret(sealed: SealedSecret, context: string, keyring: Keyring = appKeyring()): string {
  const key = keyring.byVersion.get(sealed.keyVersion);
  if (!key) throw new Error(`No encryption key with version ${sealed.keyVersion} is configured`);
  const raw = Buffer.from(sealed.ciphertext, "base64");
  if (raw.length < 28) throw new Error("Sealed secret is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString("utf8");
}

/** Whether a secret should be re-sealed under the current key (key rotation). */
export function needsResealing(sealed: SealedSecret, keyring: Keyring = appKeyring()): boolean {
  return sealed.keyVersion !== keyring.current.version;
}
