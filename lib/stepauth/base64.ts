/**
 * Strict standard base64 (RFC 4648 §4, padded) as the wire profile requires.
 *
 * Node's decoder is lenient (it skips invalid characters and ignores non-zero pad bits), so a value
 * is accepted only when re-encoding the decoded bytes reproduces the input exactly. That single
 * comparison rejects whitespace, URL-safe characters, missing or extra padding and non-canonical
 * trailing bits.
 */
import { Buffer } from "node:buffer";

/**
 * Decodes canonical standard base64, or returns `undefined` when the input is not canonical.
 *
 * @example
 * ```ts
 * decodeStrictBase64("aGk="); // Uint8Array [104, 105]
 * decodeStrictBase64("aGk");  // undefined (padding missing)
 * decodeStrictBase64("aGl="); // undefined (non-zero pad bits)
 * ```
 */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? bytes : undefined;
}

/**
 * Encodes bytes as standard padded base64.
 *
 * @example
 * ```ts
 * encodeBase64(new TextEncoder().encode("hi")); // "aGk="
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/**
 * Encodes bytes as unpadded base64url (RFC 4648 §5), e.g. for identifiers.
 *
 * @example
 * ```ts
 * encodeBase64Url(new Uint8Array([251, 255])); // "-_8"
 * ```
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}
