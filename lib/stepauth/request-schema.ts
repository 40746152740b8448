/**
 * The authorization request schema (SP → authorizer) and a parser that turns schema failures into
 * the protocol's stable error codes: `operator_depth_exceeded`, `invalid_callback_url`, or
 * `malformed_request` for everything else.
 */
import { z } from "zod";
import { StepAuthError } from "./errors";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "./json-depth";
import {
  actionSchema,
  MAX_PRINCIPAL_CHAIN,
  principalSchema,
  requestIdSchema,
  rfc3339TimestampSchema,
  spIdSchema,
  utcTimestampSchema,
} from "./schemas";

/** Callback URL policy. Plain http is only for loopback hosts, and only when explicitly allowed. */
export interface CallbackUrlPolicy {
  /** Development and tests only: accept `http://` to localhost / 127.0.0.0/8 / [::1]. */
  allowLoopbackHttp?: boolean;
}

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * True when `url` is an acceptable callback URL under `policy`: absolute https without
 * credentials or fragment (or loopback http when allowed).
 *
 * @example
 * ```ts
 * isAllowedCallbackUrl("https://mdm.acme.com/stepauth/cb"); // true
 * isAllowedCallbackUrl("http://127.0.0.1:4000/cb", { allowLoopbackHttp: true }); // true
 * isAllowedCallbackUrl("http://mdm.acme.com/cb"); // false
 * ```
 */
export function isAllowedCallbackUrl(url: string, policy: CallbackUrlPolicy = {}): boolean {
  if (url.length > 2048 || !URL.canParse(url)) return false;
  const parsed = new URL(url);
  if (parsed.username || parsed.password || parsed.hash || !parsed.hostname) return false;
  if (parsed.protocol === "https:") return true;
  return parsed.protocol === "http:" && policy.allowLoopbackHttp === true && LOOPBACK_HOST.test(parsed.hostname);
}

/**
 * Builds the request schema for a callback URL policy.
 *
 * @example
 * ```ts
 * const devSchema = createAuthorizationRequestSchema({ allowLoopbackHttp: true });
 * ```
 */
export function createAuthorizationRequestSchema(policy: CallbackUrlPolicy = {}) {
  return z
    .object({
      requestId: requestIdSchema,
      spId: spIdSchema,
      timestamp: utcTimestampSchema,
      callbackUrl: z
        .string()
        .refine((url) => isAllowedCallbackUrl(url, policy), "callbackUrl must be https")
        .optional(),
      expiresAt: rfc3339TimestampSchema,
      principal: principalSchema,
      action: actionSchema,
    })
    .superRefine((request, ctx) => {
      if (principalChainLength(request) > MAX_PRINCIPAL_CHAIN) {
        ctx.addIssue({ code: "custom", message: "operator chain exceeds 5 principals", path: ["principal"] });
      }
      if (Date.parse(request.expiresAt) <= Date.parse(request.timestamp)) {
        ctx.addIssue({ code: "custom", message: "expiresAt must be after timestamp", path: ["expiresAt"] });
      }
    });
}

/**
 * The production request schema: https callback URLs only.
 *
 * @example
 * ```ts
 * const result = authorizationRequestSchema.safeParse(payload);
 * ```
 */
export const authorizationRequestSchema = createAuthorizationRequestSchema();

// Built once: zod compiles a schema on first use, so a schema made per call costs that every call.
const loopbackRequestSchema = createAuthorizationRequestSchema({ allowLoopbackHttp: true });

/** A validated authorization request. */
export type AuthorizationRequest = z.infer<typeof authorizationRequestSchema>;

function principalChainLength(input: unknown): number {
  let length = 0;
  let node: unknown = (input as { principal?: unknown } | null)?.principal;
  // Stop one past the limit: the chain is only walked as far as needed to reject it.
  while (typeof node === "object" && node !== null && length <= MAX_PRINCIPAL_CHAIN) {
    length += 1;
    node = (node as { operator?: unknown }).operator;
  }
  return length;
}

/**
 * Validates and copies an authorization request, throwing a coded {@link StepAuthError}:
 * `operator_depth_exceeded` for more than five principals, `invalid_callback_url` when the callback
 * URL is the only problem, otherwise `malformed_request` with the zod issues in `details`.
 *
 * @example
 * ```ts
 * const request = parseAuthorizationRequest(verified.payload);
 * ```
 */
export function parseAuthorizationRequest(input: unknown, policy: CallbackUrlPolicy = {}): AuthorizationRequest {
  if (principalChainLength(input) > MAX_PRINCIPAL_CHAIN) {
    throw new StepAuthError("operator_depth_exceeded", `at most ${MAX_PRINCIPAL_CHAIN} principals in the chain`);
  }
  if (exceedsJsonDepth(input))
    throw new StepAuthError("malformed_request", `the request nests deeper than ${MAX_JSON_DEPTH} levels`);
  const schema = policy.allowLoopbackHttp ? loopbackRequestSchema : authorizationRequestSchema;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message }));
  if (issues.every((issue) => issue.path[0] === "callbackUrl")) {
    throw new StepAuthError("invalid_callback_url", "callbackUrl is not allowed", { details: { issues } });
  }
  throw new StepAuthError("malformed_request", "authorization request failed validation", { details: { issues } });
}
