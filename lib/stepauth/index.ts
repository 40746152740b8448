/**
 * StepAuth protocol core: keys, signed envelopes, schemas, builders, flattening, CEL routing,
 * the authorizer client and decision checks. Framework-free: keys, clock and transport are passed in.
 *
 * @example
 * ```ts
 * import { signJsonPayload, verifyEnvelope, evaluateRoutingScript } from "./lib/stepauth";
 * ```
 */
export { STEPAUTH_ERROR_CODES, WIRE_ERROR_CODES, StepAuthError, isStepAuthError, isWireErrorCode } from "./errors";
export type { StepAuthErrorCode, WireErrorCode } from "./errors";
export { decodeStrictBase64, encodeBase64, encodeBase64Url } from "./base64";
export {
  generateKeyPair,
  importPublicKey,
  importPrivateKey,
  publicKeyFromPrivateKey,
  exportPublicKeyJwk,
  isValidKeyId,
} from "./keys";
export type { EncodedKeyPair } from "./keys";
export { SIGNATURE_ALGORITHMS, findSignatureAlgorithm } from "./algorithms";
export type { SignatureAlgorithm, SignatureAlgorithmName } from "./algorithms";
export { parseEnvelope, MAX_ENVELOPE_BYTES, MAX_ENVELOPE_SIGNATURES } from "./envelope-parse";
export type { SignedEnvelope, EnvelopeSignature } from "./envelope-parse";
export { signEnvelope, signJsonPayload, verifyEnvelope } from "./envelope";
export type { EnvelopeSigner, TrustedKey, VerifiedEnvelope } from "./envelope";
export * from "./schemas";
export {
  READABLE_TEXT_PROBLEMS,
  readableString,
  readableTextProblem,
  refineReadable,
  storableTextProblem,
} from "./readable-text";
export type { ReadableTextProblem } from "./readable-text";
export {
  authorizationRequestSchema,
  createAuthorizationRequestSchema,
  parseAuthorizationRequest,
  isAllowedCallbackUrl,
} from "./request-schema";
export type { AuthorizationRequest, CallbackUrlPolicy } from "./request-schema";
export * from "./message-schemas";
export { entry, group, entries, buildAuthorizationRequest } from "./builders";
export { authorizationRequestPayload, isAuthorizationRequestPayload } from "./request-payload";
export type { AuthorizationRequestPayload } from "./request-payload";
export type { AuthorizationRequestDraft, BuildRequestOptions } from "./builders";
export { generateRequestId } from "./request-id";
export { exceedsJsonDepth, MAX_JSON_DEPTH } from "./json-depth";
export { parseStrictJsonObject } from "./strict-json";
export { flattenAuthorizationRequest, flattenEntries, flattenPrincipal } from "./flatten";
export type { FlattenedEntries, FlattenedPrincipal, FlattenedRequest } from "./flatten";
export {
  evaluateRoutingScript,
  routeFlattenedRequest,
  compileRoutingScript,
  discardCompiledScript,
  DEFAULT_ROUTING_BUDGET_MS,
} from "./routing";
export type { CompiledScript, RoutingOptions } from "./routing";
export { IMMEDIATE_TOKENS, interpretRoutingValue } from "./routing-result";
export type { RoutingConfig, RoutingOutcome, RoutingFallbackReason, ImmediateToken } from "./routing-result";
export { validateRoutingScript } from "./routing-validate";
export type { RoutingScriptIssue, RoutingScriptIssueCode, RoutingScriptValidation } from "./routing-validate";
export { ROUTING_SCRIPT_LIMITS } from "./routing-script";
export { AuthorizerClient, AUTHORIZER_PATHS, signedRequestText } from "./client";
export type { AuthorizerClientOptions, ExecutionResultReport } from "./client";
export { RESULT_REPORT_UNSUPPORTED_STATUSES, verifyDecisionEnvelope } from "./client-responses";
export type { SubmitResult, PollResult, CancelResult, ResultReportOutcome, VerifiedDecision } from "./client-responses";
export { DEFAULT_RETRY_POLICY, STATUS_HANDLING, backoffDelayMs, handlingForStatus, parseRetryAfter } from "./retry";
export type { RetryPolicy, StatusHandling } from "./retry";
export type { AttemptReport, AttemptObserver, AuthorizerCall } from "./send-with-retry";
export { createUndiciTransport, MAX_RESPONSE_BYTES, ResponseTooLargeError, TransportRefusedError } from "./transport";
export { describeTransportCause } from "./transport-cause";
export type { HttpTransport, HttpRequest, HttpResponse } from "./transport";
export { checkDecision, isFresh, DECISION_CLOCK_SKEW_MS, DECISION_REJECTIONS } from "./decision-checks";
export type { DecisionCheckResult, DecisionRejection, StoredRequestFacts } from "./decision-checks";
