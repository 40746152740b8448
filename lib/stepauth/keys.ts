/**
 * Ed25519 key material: generation, strict import from base64 DER, JWK export.
 *
 * Keys travel as base64 DER (SPKI for public keys, PKCS#8 for private keys), exactly as the wire
 * profile pins. Imports go through node:crypto's built-in DER parser and are cached by their
 * base64 text, so the signing and verification hot paths never re-parse a key.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { exportJWK, type JWK } from "jose";
import { decodeStrictBase64 } from "./base64";
import { StepAuthError } from "./errors";

/** keyId syntax of the wire profile: 1–128 of `A-Z a-z 0-9 . _ : -`. */
const KEY_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
/** Imported keys kept per process; oldest evicted first once full. */
const KEY_CACHE_LIMIT = 1024;

const publicKeyCache = new Map<string, KeyObject>();
const privateKeyCache = new Map<string, KeyObject>();

/**
 * A freshly generated Ed25519 key pair, both halves as base64 DER.
 * `privateKey` must be stored encrypted and never logged or returned by an API.
 */
export interface EncodedKeyPair {
  /** base64 of DER SubjectPublicKeyInfo; starts `MCowBQYDK2VwAyEA`. */
  publicKey: string;
  /** base64 of DER PKCS#8; starts `MC4CAQAwBQYDK2VwBCIEI`. */
  privateKey: string;
}

/**
 * Generates an Ed25519 key pair encoded as the wire profile requires.
 *
 * @example
 * ```ts
 * const { publicKey, privateKey } = generateKeyPair();
 * publicKey.startsWith("MCowBQYDK2VwAyEA"); // true
 * ```
 */
export function generateKeyPair(): EncodedKeyPair {
  const pair = generateKeyPairSync("ed25519");
  return {
    publicKey: pair.publicKey.export({ format: "der", type: "spki" }).toString("base64"),
    privateKey: pair.privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
  };
}

/**
 * True when `keyId` matches the wire profile's keyId syntax.
 *
 * @example
 * ```ts
 * isValidKeyId("sp-key-2024"); // true
 * isValidKeyId("has space");   // false
 * ```
 */
export function isValidKeyId(keyId: unknown): keyId is string {
  return typeof keyId === "string" && KEY_ID_PATTERN.test(keyId);
}

function remember(cache: Map<string, KeyObject>, encoded: string, key: KeyObject): KeyObject {
  if (cache.size >= KEY_CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(encoded, key);
  return key;
}

function importDer(encoded: unknown, kind: "public" | "private"): KeyObject {
  const cache = kind === "public" ? publicKeyCache : privateKeyCache;
  if (typeof encoded === "string") {
    const cached = cache.get(encoded);
    if (cached) return cached;
  }
  const der = typeof encoded === "string" ? decodeStrictBase64(encoded) : undefined;
  if (!der || der.length === 0 || der.length > 256) {
    throw new StepAuthError("invalid_key", `${kind} key must be canonical base64 DER`);
  }
  let key: KeyObject;
  try {
    key =
      kind === "public"
        ? createPublicKey({ key: der, format: "der", type: "spki" })
        : createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  } catch (cause) {
    // The cause may quote key bytes; keep it out of the error to avoid leaking private material.
    void cause;
    throw new StepAuthError("invalid_key", `${kind} key is not valid DER`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new StepAuthError("invalid_key", `${kind} key is not an Ed25519 key`, {
      details: { keyType: key.asymmetricKeyType },
    });
  }
  return remember(cache, encoded as string, key);
}

/**
 * Imports a base64 SPKI DER Ed25519 public key into a cached `KeyObject`.
 * Throws `invalid_key` for anything else.
 *
 * @example
 * ```ts
 * const key = importPublicKey("MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
 * key.asymmetricKeyType; // "ed25519"
 * ```
 */
export function importPublicKey(encoded: string): KeyObject {
  return importDer(encoded, "public");
}

/**
 * Imports a base64 PKCS#8 DER Ed25519 private key into a cached `KeyObject`.
 * Throws `invalid_key` (without echoing the input) for anything else.
 *
 * @example
 * ```ts
 * const key = importPrivateKey(storedPrivateKey);
 * key.type; // "private"
 * ```
 */
export function importPrivateKey(encoded: string): KeyObject {
  return importDer(encoded, "private");
}

/**
 * Derives the base64 SPKI public key that belongs to a base64 PKCS#8 private key.
 *
 * @example
 * ```ts
 * const { publicKey, privateKey } = generateKeyPair();
 * publicKeyFromPrivateKey(privateKey) === publicKey; // true
 * ```
 */
export function publicKeyFromPrivateKey(privateKey: string): string {
  return createPublicKey(importPrivateKey(privateKey)).export({ format: "der", type: "spki" }).toString("base64");
}

/**
 * Exports a base64 SPKI public key as a JWK (`kty: "OKP"`, `crv: "Ed25519"`) for a published JWKS.
 *
 * @example
 * ```ts
 * const jwk = await exportPublicKeyJwk(publicKey, "auth-key-2024");
 * // { kty: "OKP", crv: "Ed25519", x: "…", kid: "auth-key-2024", alg: "EdDSA", use: "sig" }
 * ```
 */
export async function exportPublicKeyJwk(publicKey: string, keyId: string): Promise<JWK> {
  if (!isValidKeyId(keyId)) throw new StepAuthError("invalid_key_id", "keyId has an invalid format");
  const jwk = await exportJWK(importPublicKey(publicKey));
  return { ...jwk, kid: keyId, alg: "EdDSA", use: "sig" };
}
