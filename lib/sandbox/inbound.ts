/**
 * Authentication of SP calls to the sandbox: the envelope's shape is checked and copied first,
 * the spId is read from the (not yet trusted) payload only to find whose keys to verify with,
 * and nothing is read or written for the SP until its signature verifies. Then the SP's token
 * bucket is charged, so unauthenticated traffic cannot spend an SP's rate limit.
 */
import type { Database } from "@/db/client";
import type { SandboxRegistration } from "@/db/schema";
import { findSandboxRegistrationBySpId } from "@/db/queries/sandbox-registrations";
import { AppError } from "@/lib/errors/app-error";
import { takeToken } from "@/lib/http/rate-limit";
import {
  decodeStrictBase64,
  isStepAuthError,
  parseEnvelope,
  parseStrictJsonObject,
  spIdSchema,
  verifyEnvelope,
  type SignedEnvelope,
  type StepAuthError,
} from "@/lib/stepauth";

/** A verified SP call: its registration, the envelope as received and the verified payload. */
export interface AuthenticatedSpCall {
  registration: SandboxRegistration;
  envelope: SignedEnvelope;
  payload: Record<string, unknown>;
}

/**
 * Converts a protocol-core error into the app's error with the same wire code.
 *
 * @example
 * ```ts
 * try { parseAuthorizationRequest(p); } catch (e) { throw toWireError(e); }
 * ```
 */
export function toWireError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (!isStepAuthError(error)) throw error;
  const known = [
    "invalid_signature",
    "unknown_sp",
    "malformed_request",
    "invalid_callback_url",
    "operator_depth_exceeded",
    "unknown_request",
    "duplicate_request",
    "rate_limited",
  ] as const;
  const code = (known as readonly string[]).includes(error.code)
    ? (error.code as (typeof known)[number])
    : "malformed_request";
  return new AppError(code, (error as StepAuthError).message, { details: error.details });
}

function unverifiedSpId(envelope: SignedEnvelope): string {
  const bytes = decodeStrictBase64(envelope.payload);
  if (!bytes) throw new AppError("malformed_request", "payload is not canonical standard base64");
  let spId: unknown;
  try {
    // The same strict parser as verification: a duplicated spId cannot pick whose keys verify.
    spId = parseStrictJsonObject(bytes).spId;
  } catch (error) {
    throw toWireError(error);
  }
  // Checked before the lookup: an spId with a NUL or control character would fail the query, not the caller.
  if (typeof spId !== "string" || !spIdSchema.safeParse(spId).success)
    throw new AppError("malformed_request", "payload.spId is missing or not valid");
  return spId;
}

/**
 * Verifies an SP's envelope against the keys registered for the spId it names, then charges that
 * SP's token bucket. Throws `malformed_request`, `unknown_sp`, `invalid_signature` or
 * `rate_limited` (with `retryAfter`), in that order of checks.
 *
 * @example
 * ```ts
 * const { registration, payload } = await authenticateSpEnvelope(db, await request.json());
 * ```
 */
export async function authenticateSpEnvelope(db: Database, body: unknown): Promise<AuthenticatedSpCall> {
  let envelope: SignedEnvelope;
  try {
    envelope = parseEnvelope(body);
  } catch (error) {
    throw toWireError(error);
  }
  const spId = unverifiedSpId(envelope);
  const registration = await findSandboxRegistrationBySpId(db, spId);
  if (!registration) throw new AppError("unknown_sp", `No SP ${spId} is registered with this authorizer`);
  let payload: Record<string, unknown>;
  try {
    payload = verifyEnvelope(envelope, registration.publicKeys).payload;
  } catch (error) {
    throw toWireError(error);
  }
  const wait = takeToken(`sandbox-sp:${registration.id}`, registration.rateLimitPerSecond, registration.rateLimitBurst);
  if (wait > 0) throw new AppError("rate_limited", `Too many requests from ${spId}`, { retryAfter: wait });
  return { registration, envelope, payload };
}
