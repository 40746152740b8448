/**
 * Authentication of SP calls to the sandbox: the envelope's shape is checked and copied first,
 * the spId is read from the (not yet trusted) payload only to find whose keys to verify with,
 * and nothing is read or written for the SP until its signature verifies. Then the SP's token
 * bucket is charged, so unauthenticated traffic cannot spend an SP's rate limit.
 */
import type { Database } from "@/db/client";
import type { SandboxRegistration } from "@/db/schema";
import { findSandboxRegistrationBySpId } from "@/db/queries/system/sandbox-registrations";
import { AppError, toAppError } from "@/lib/errors/app-error";
import { takeToken } from "@/lib/fairness/rate-limit";
import {
  decodeStrictBase64,
  parseEnvelope,
  parseStrictJsonObject,
  spIdSchema,
  verifyEnvelope,
  type SignedEnvelope,
} from "@/lib/stepauth";

/** A verified SP call: its registration, the envelope as received and the verified payload. */
export interface AuthenticatedSpCall {
  registration: SandboxRegistration;
  envelope: SignedEnvelope;
  payload: Record<string, unknown>;
}

function unverifiedSpId(envelope: SignedEnvelope): string {
  const bytes = decodeStrictBase64(envelope.payload);
  if (!bytes) throw new AppError("malformed_request", "payload is not canonical standard base64");
  let spId: unknown;
  try {
    // The same strict parser as verification: a duplicated spId cannot pick whose keys verify.
    spId = parseStrictJsonObject(bytes).spId;
  } catch (error) {
    throw toAppError(error, "peer") ?? error;
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
    throw toAppError(error, "peer") ?? error;
  }
  const spId = unverifiedSpId(envelope);
  const registration = await findSandboxRegistrationBySpId(db, spId);
  if (!registration) throw new AppError("unknown_sp", `No SP ${spId} is registered with this authorizer`);
  let payload: Record<string, unknown>;
  try {
    payload = verifyEnvelope(envelope, registration.publicKeys).payload;
  } catch (error) {
    throw toAppError(error, "peer") ?? error;
  }
  const wait = takeToken(`sandbox-sp:${registration.id}`, registration.rateLimitPerSecond, registration.rateLimitBurst);
  if (wait > 0) throw new AppError("rate_limited", `Too many requests from ${spId}`, { retryAfter: wait });
  return { registration, envelope, payload };
}
