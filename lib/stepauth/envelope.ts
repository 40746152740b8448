/**
 * Signing and verification of StepAuth envelopes.
 *
 * The signature covers the exact payload bytes; verifiers never re-serialize JSON. Entries with an
 * unknown algorithm or keyId are skipped, which is what lets a signer rotate keys (sign with old
 * and new) or migrate algorithms without a flag day.
 */
import type { KeyObject } from "node:crypto";
import { findSignatureAlgorithm, type SignatureAlgorithm, type SignatureAlgorithmName } from "./algorithms";
import { decodeStrictBase64, encodeBase64 } from "./base64";
import {
  envelopeSizeFor,
  MAX_ENVELOPE_BYTES,
  MAX_ENVELOPE_SIGNATURES,
  parseEnvelope,
  type EnvelopeSignature,
  type SignedEnvelope,
} from "./envelope-parse";
import { StepAuthError } from "./errors";
import { isValidKeyId } from "./keys";
import { parseStrictJsonObject } from "./strict-json";

/** A key that signs: its keyId and the private key (base64 PKCS#8 DER or a `KeyObject`). */
export interface EnvelopeSigner {
  keyId: string;
  privateKey: string | KeyObject;
  /** Defaults to `"ed25519"`. */
  algorithm?: SignatureAlgorithmName;
}

/** A key trusted to verify: its keyId and the public key (base64 SPKI DER or a `KeyObject`). */
export interface TrustedKey {
  keyId: string;
  publicKey: string | KeyObject;
  /** Defaults to `"ed25519"`. */
  algorithm?: SignatureAlgorithmName;
}

/** What a successful verification proves: these bytes were signed by this trusted key. */
export interface VerifiedEnvelope {
  /** The exact signed bytes. */
  payloadBytes: Uint8Array;
  /** The payload parsed from those bytes (always a JSON object). Validate it with a schema. */
  payload: Record<string, unknown>;
  keyId: string;
  algorithm: SignatureAlgorithmName;
  /** The envelope as parsed (a structural copy of the input), to store as proof. */
  envelope: SignedEnvelope;
}

const OPEN_BRACE = 0x7b;

function resolveAlgorithm(name: string | undefined): [SignatureAlgorithmName, SignatureAlgorithm] {
  const algorithmName = name ?? "ed25519";
  const algorithm = findSignatureAlgorithm(algorithmName);
  if (!algorithm) throw new StepAuthError("invalid_key", `unsupported algorithm ${algorithmName}`);
  return [algorithmName as SignatureAlgorithmName, algorithm];
}

function resolveKey(key: string | KeyObject, algorithm: SignatureAlgorithm, kind: "public" | "private"): KeyObject {
  if (typeof key === "string") {
    return kind === "public" ? algorithm.importPublicKey(key) : algorithm.importPrivateKey(key);
  }
  if (key?.type !== kind || key.asymmetricKeyType !== algorithm.keyType) {
    throw new StepAuthError("invalid_key", `expected a ${algorithm.keyType} ${kind} key`);
  }
  return key;
}

/**
 * Signs payload bytes (UTF-8 JSON of an object) with one or more keys.
 * Several signers are how rotation works: during a rotation the gateway signs with both keys.
 * Throws `invalid_key_id`, `invalid_key` or `malformed_request` before signing anything.
 *
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode(JSON.stringify(request));
 * const envelope = signEnvelope(bytes, [
 *   { keyId: "sp-key-2025", privateKey: newKey },
 *   { keyId: "sp-key-2024", privateKey: oldKey },
 * ]);
 * ```
 */
export function signEnvelope(payloadBytes: Uint8Array, signers: readonly EnvelopeSigner[]): SignedEnvelope {
  if (!(payloadBytes instanceof Uint8Array) || payloadBytes[0] !== OPEN_BRACE) {
    throw new StepAuthError("malformed_request", "payload must be the UTF-8 bytes of a JSON object");
  }
  if (!Array.isArray(signers) || signers.length === 0 || signers.length > MAX_ENVELOPE_SIGNATURES) {
    throw new StepAuthError("malformed_request", `between 1 and ${MAX_ENVELOPE_SIGNATURES} signers required`);
  }
  const seen = new Set<string>();
  const plan = signers.map((signer) => {
    if (!isValidKeyId(signer?.keyId)) throw new StepAuthError("invalid_key_id", "signer keyId has an invalid format");
    const [name, algorithm] = resolveAlgorithm(signer.algorithm);
    if (seen.has(`${name} ${signer.keyId}`)) throw new StepAuthError("invalid_key_id", "duplicate signer keyId");
    seen.add(`${name} ${signer.keyId}`);
    return { name, algorithm, keyId: signer.keyId, key: resolveKey(signer.privateKey, algorithm, "private") };
  });
  const payload = encodeBase64(payloadBytes);
  // Every signature has a fixed length, so the size is known before any signing work.
  const sized = plan.map((p) => ({
    algorithm: p.name,
    keyId: p.keyId,
    signature: "A".repeat(Math.ceil(p.algorithm.signatureLength / 3) * 4),
  }));
  if (envelopeSizeFor(payload, sized) > MAX_ENVELOPE_BYTES) {
    throw new StepAuthError("malformed_request", "envelope would exceed 64 KiB");
  }
  const signatures: EnvelopeSignature[] = plan.map((p) => ({
    algorithm: p.name,
    keyId: p.keyId,
    signature: encodeBase64(p.algorithm.sign(payloadBytes, p.key)),
  }));
  return { payload, signatures };
}

/**
 * Serializes a JSON object to UTF-8 and signs it with {@link signEnvelope}.
 *
 * @example
 * ```ts
 * const envelope = signJsonPayload({ requestId, spId, timestamp }, [{ keyId, privateKey }]);
 * ```
 */
export function signJsonPayload(payload: object, signers: readonly EnvelopeSigner[]): SignedEnvelope {
  return signEnvelope(new TextEncoder().encode(JSON.stringify(payload)), signers);
}

function decodePayload(payload: string): { bytes: Uint8Array; value: Record<string, unknown> } {
  const bytes = decodeStrictBase64(payload);
  if (!bytes) throw new StepAuthError("malformed_request", "payload is not canonical standard base64");
  // Strict: two parsers must never read two different messages out of the same signed bytes.
  return { bytes, value: parseStrictJsonObject(bytes) };
}

/**
 * Verifies an envelope (JSON text, bytes or parsed value) against trusted keys. Succeeds when at
 * least one entry with a supported algorithm and a trusted keyId verifies; unknown entries are
 * skipped. The payload is parsed strictly (see strict-json.ts). Throws `malformed_request` for a bad shape or payload, `invalid_signature` when no entry
 * verifies; never anything else for bad input.
 *
 * @example
 * ```ts
 * const { payload, keyId } = verifyEnvelope(body, [{ keyId: "auth-key-2024", publicKey }]);
 * const decision = decisionSchema.parse(payload);
 * ```
 */
export function verifyEnvelope(input: unknown, trustedKeys: readonly TrustedKey[]): VerifiedEnvelope {
  if (!Array.isArray(trustedKeys)) throw new StepAuthError("invalid_key", "trustedKeys must be an array");
  const envelope = parseEnvelope(input);
  const { bytes, value } = decodePayload(envelope.payload);
  let attempted = 0;
  for (const entry of envelope.signatures) {
    const algorithm = findSignatureAlgorithm(entry.algorithm);
    if (!algorithm) continue;
    const trusted = trustedKeys.find(
      (key) => key.keyId === entry.keyId && (key.algorithm ?? "ed25519") === entry.algorithm,
    );
    if (!trusted) continue;
    attempted += 1;
    const signature = decodeStrictBase64(entry.signature);
    if (!signature || signature.length !== algorithm.signatureLength) continue;
    const publicKey = resolveKey(trusted.publicKey, algorithm, "public");
    if (algorithm.verify(bytes, signature, publicKey)) {
      return {
        payloadBytes: bytes,
        payload: value,
        keyId: entry.keyId,
        algorithm: entry.algorithm as SignatureAlgorithmName,
        envelope,
      };
    }
  }
  throw new StepAuthError(
    "invalid_signature",
    attempted === 0 ? "no signature from a trusted key" : "signature verification failed",
    { details: { entriesChecked: attempted } },
  );
}
