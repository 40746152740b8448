/**
 * An authorization request validated once and serialised for one authorizer: the exact JSON the
 * client signs. An SP that sends one request to several authorizers builds it once
 * (`buildAuthorizationRequest`) and derives each authorizer's copy here, checking only what differs
 * (spId and callback URL); the client then signs that JSON without validating the request again.
 */
import { StepAuthError } from "./errors";
import {
  isAllowedCallbackUrl,
  parseAuthorizationRequest,
  type AuthorizationRequest,
  type CallbackUrlPolicy,
} from "./request-schema";
import { spIdSchema } from "./schemas";

/** A request ready to sign for one authorizer (immutable: its JSON is what was validated). */
export interface AuthorizationRequestPayload {
  readonly requestId: string;
  readonly spId: string;
  /** The request's JSON, exactly as it is signed and sent. */
  readonly json: string;
  /** Whether its callback URL was checked with loopback http allowed. */
  readonly loopbackHttpAllowed: boolean;
}

// The JSON of each request buildAuthorizationRequest validated, to tell it is unchanged since.
const validatedJson = new WeakMap<object, string>();
// Payloads made here: a look-alike object is not one.
const payloads = new WeakSet<object>();

/** Called by the builder with each request it validated. */
export function rememberValidatedRequest(request: AuthorizationRequest): void {
  validatedJson.set(request, JSON.stringify(request));
}

/** True for a payload made by {@link authorizationRequestPayload} (which the client signs as it is). */
export function isAuthorizationRequestPayload(value: unknown): value is AuthorizationRequestPayload {
  return typeof value === "object" && value !== null && payloads.has(value);
}

/**
 * The request as sent to one authorizer: `request` with the target's `spId` and `callbackUrl` (none
 * for a poll-only authorizer). A request `buildAuthorizationRequest` returned and nobody changed
 * since has only those two checked; any other is validated in full. Throws the coded errors of
 * `parseAuthorizationRequest` (`malformed_request`, `invalid_callback_url`).
 *
 * @example
 * ```ts
 * const request = buildAuthorizationRequest({ spId: "sp_acme", expiresIn: 1800, principal, action });
 * const payload = authorizationRequestPayload(request, { spId: "sp_acme_mdm", callbackUrl: "https://sp.acme.com/cb" });
 * await client.submit(payload); // signs payload.json as it is
 * ```
 */
export function authorizationRequestPayload(
  request: AuthorizationRequest,
  target: { spId: string; callbackUrl?: string },
  policy: CallbackUrlPolicy = {},
): AuthorizationRequestPayload {
  const { requestId, timestamp, expiresAt, principal, action } = request;
  // The schema's key order, as parsing would give it.
  const retargeted = {
    requestId,
    spId: target.spId,
    timestamp,
    ...(target.callbackUrl === undefined ? {} : { callbackUrl: target.callbackUrl }),
    expiresAt,
    principal,
    action,
  };
  const snapshot = validatedJson.get(request);
  if (snapshot === undefined || snapshot !== JSON.stringify(request))
    return seal(parseAuthorizationRequest(retargeted, policy), policy);
  if (!spIdSchema.safeParse(target.spId).success)
    throw new StepAuthError("malformed_request", "the target's spId is not valid");
  if (target.callbackUrl !== undefined && !isAllowedCallbackUrl(target.callbackUrl, policy)) {
    throw new StepAuthError("invalid_callback_url", "callbackUrl is not allowed");
  }
  return seal(retargeted, policy);
}

function seal(request: AuthorizationRequest, policy: CallbackUrlPolicy): AuthorizationRequestPayload {
  const payload = Object.freeze({
    requestId: request.requestId,
    spId: request.spId,
    json: JSON.stringify(request),
    loopbackHttpAllowed: policy.allowLoopbackHttp === true,
  });
  payloads.add(payload);
  return payload;
}
