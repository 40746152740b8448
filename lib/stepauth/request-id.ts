/**
 * Request identifiers: `req_` + 22 URL-safe characters from 128 bits of CSPRNG output.
 */
import { randomBytes } from "node:crypto";
import { encodeBase64Url } from "./base64";

/**
 * Generates a fresh requestId (`req_` + 22 base64url characters, 128 random bits).
 * `randomSource` is injectable for deterministic tests; it must return `size` random bytes.
 *
 * @example
 * ```ts
 * generateRequestId(); // "req_3q2-7wAAAAAB9kX1Qm0aZg"
 * ```
 */
export function generateRequestId(randomSource: (size: number) => Uint8Array = randomBytes): string {
  return `req_${encodeBase64Url(randomSource(16))}`;
}
