/**
 * Signature algorithms as data. Adding an algorithm (e.g. a post-quantum one) is one entry here;
 * the envelope code never switches on algorithm names.
 */
import { sign, verify, type KeyObject } from "node:crypto";
import { importPrivateKey, importPublicKey } from "./keys";

/** How one signature algorithm signs, verifies and imports its keys. */
export interface SignatureAlgorithm {
  /** `KeyObject.asymmetricKeyType` that keys of this algorithm must have. */
  readonly keyType: string;
  /** Exact byte length of a signature; anything else is rejected before touching the key. */
  readonly signatureLength: number;
  readonly importPublicKey: (encoded: string) => KeyObject;
  readonly importPrivateKey: (encoded: string) => KeyObject;
  readonly sign: (payload: Uint8Array, privateKey: KeyObject) => Uint8Array;
  readonly verify: (payload: Uint8Array, signature: Uint8Array, publicKey: KeyObject) => boolean;
}

/**
 * Registry of supported algorithms, keyed by the envelope's `algorithm` string.
 *
 * @example
 * ```ts
 * const alg = SIGNATURE_ALGORITHMS.ed25519;
 * alg.verify(bytes, signature, alg.importPublicKey(publicKeyBase64));
 * ```
 */
export const SIGNATURE_ALGORITHMS = {
  ed25519: {
    keyType: "ed25519",
    signatureLength: 64,
    importPublicKey,
    importPrivateKey,
    // Ed25519 hashes internally, so the digest argument is null.
    sign: (payload, privateKey) => sign(null, payload, privateKey),
    verify: (payload, signature, publicKey) => verify(null, payload, publicKey, signature),
  },
} as const satisfies Record<string, SignatureAlgorithm>;

/**
 * Name of a supported signature algorithm.
 *
 * @example
 * ```ts
 * const name: SignatureAlgorithmName = "ed25519";
 * ```
 */
export type SignatureAlgorithmName = keyof typeof SIGNATURE_ALGORITHMS;

/**
 * Looks up an algorithm by its wire name; `undefined` for unknown names (which verifiers skip).
 *
 * @example
 * ```ts
 * findSignatureAlgorithm("ed25519"); // the Ed25519 entry
 * findSignatureAlgorithm("ml-dsa-65"); // undefined
 * ```
 */
export function findSignatureAlgorithm(name: string): SignatureAlgorithm | undefined {
  return Object.hasOwn(SIGNATURE_ALGORITHMS, name) ? SIGNATURE_ALGORITHMS[name as SignatureAlgorithmName] : undefined;
}
