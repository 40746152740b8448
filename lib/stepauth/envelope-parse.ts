/**
 * Structural parsing of signed envelopes: shape, sizes and types are checked (and the input copied)
 * before any key is touched. Every failure is a `malformed_request` {@link StepAuthError}.
 */
import { Buffer } from "node:buffer";
import { StepAuthError } from "./errors";

/** The whole envelope is at most 64 KiB on the wire (PROTOCOL.md). */
export const MAX_ENVELOPE_BYTES = 64 * 1024;
/** Room for rotation and migration; more entries than this is not a real envelope. */
export const MAX_ENVELOPE_SIGNATURES = 16;

/** One entry of `signatures`: which algorithm, which key, and the base64 signature. */
export interface EnvelopeSignature {
  algorithm: string;
  keyId: string;
  signature: string;
}

/**
 * A signed envelope as it travels: `payload` is base64 of the exact signed bytes.
 *
 * @example
 * ```ts
 * const envelope: SignedEnvelope = { payload: "eyJ…", signatures: [{ algorithm: "ed25519", keyId: "k1", signature: "…" }] };
 * ```
 */
export interface SignedEnvelope {
  payload: string;
  signatures: EnvelopeSignature[];
}

function malformed(message: string): StepAuthError {
  return new StepAuthError("malformed_request", message);
}

// Serialized size of an envelope with these fields: quotes, keys and separators included.
function estimateEnvelopeBytes(payload: string, signatures: readonly EnvelopeSignature[]): number {
  let size = 30 + payload.length;
  for (const entry of signatures) {
    size += 50 + Buffer.byteLength(entry.algorithm) + Buffer.byteLength(entry.keyId);
    size += Buffer.byteLength(entry.signature);
  }
  return size;
}

function parseJsonText(input: string | Uint8Array): unknown {
  const byteLength = typeof input === "string" ? Buffer.byteLength(input) : input.byteLength;
  if (byteLength > MAX_ENVELOPE_BYTES) throw malformed("envelope exceeds 64 KiB");
  try {
    return JSON.parse(typeof input === "string" ? input : Buffer.from(input).toString("utf8"));
  } catch {
    throw malformed("envelope is not valid JSON");
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses and copies a signed envelope from JSON text, UTF-8 bytes or an already parsed value.
 * Unknown top-level fields are ignored (not copied). Throws `malformed_request` on anything else,
 * and never throws any other kind of error.
 *
 * @example
 * ```ts
 * const envelope = parseEnvelope(await request.text());
 * envelope.signatures.length; // ≥ 1
 * ```
 */
export function parseEnvelope(input: unknown): SignedEnvelope {
  const value = typeof input === "string" || input instanceof Uint8Array ? parseJsonText(input) : input;
  if (!isPlainObject(value)) throw malformed("envelope must be a JSON object");
  const { payload, signatures } = value;
  if (typeof payload !== "string" || payload.length === 0) {
    throw malformed("envelope.payload must be a non-empty string");
  }
  if (payload.length > MAX_ENVELOPE_BYTES) throw malformed("envelope exceeds 64 KiB");
  if (!Array.isArray(signatures) || signatures.length === 0) {
    throw malformed("envelope.signatures must be a non-empty array");
  }
  if (signatures.length > MAX_ENVELOPE_SIGNATURES) throw malformed("too many signatures");
  const copies: EnvelopeSignature[] = [];
  for (const entry of signatures as unknown[]) {
    if (!isPlainObject(entry)) throw malformed("each signature must be an object");
    const { algorithm, keyId, signature } = entry;
    if (typeof algorithm !== "string" || typeof keyId !== "string" || typeof signature !== "string") {
      throw malformed("signature entries need string algorithm, keyId and signature");
    }
    copies.push({ algorithm, keyId, signature });
  }
  if (estimateEnvelopeBytes(payload, copies) > MAX_ENVELOPE_BYTES) {
    throw malformed("envelope exceeds 64 KiB");
  }
  return { payload, signatures: copies };
}

/**
 * The serialized envelope size bound used by {@link parseEnvelope}, for signers that want to
 * refuse an oversized envelope before signing.
 *
 * @example
 * ```ts
 * envelopeSizeFor(payloadBase64, entries) <= MAX_ENVELOPE_BYTES;
 * ```
 */
export function envelopeSizeFor(payload: string, signatures: readonly EnvelopeSignature[]): number {
  return estimateEnvelopeBytes(payload, signatures);
}
