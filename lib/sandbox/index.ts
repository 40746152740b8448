/**
 * The built-in sandbox authorizer: the other side of the StepAuth protocol, served by this app
 * under `/api/sandbox-authorizer` and reached by the gateway over real HTTP like any authorizer.
 * Its own key, SP registrations with CEL policy and quorum, a reviewer inbox, and durable
 * callback delivery.
 *
 * @example
 * ```ts
 * import { connectSandboxAuthorizer, runSandboxDeliveries } from "@/lib/sandbox";
 * ```
 */
export { ensureSandboxSigningKey, SANDBOX_FIRST_KEY_ID } from "./keys";
export type { SandboxKey } from "./keys";
export { compileCallbackPattern, matchesCallbackPattern } from "./callback-pattern";
export { evaluateSandboxPolicy, policyRuleSchema, policyRulesSchema, DEFAULT_POLICY_RULES, MAX_QUORUM } from "./policy";
export type { PolicyVerdict } from "./policy";
export { authenticateSpEnvelope } from "./inbound";
export type { AuthenticatedSpCall } from "./inbound";
export { receiveSandboxSubmission } from "./submit";
export type { SubmitAnswer } from "./submit";
export { pollSandboxRequest, cancelSandboxRequest } from "./poll-cancel";
export type { SandboxAnswer } from "./poll-cancel";
export { recordSandboxResultReport } from "./result-report";
export { decideSandboxRequest, signSandboxDecision, reviewerPrincipal, policyPrincipal } from "./decisions";
export { expireIfOverdue, expireOverdueSandboxRequests } from "./expiry";
export { runSandboxDeliveries, SANDBOX_DELIVERY_MAX_ATTEMPTS } from "./deliveries";
export { reviewSandboxRequest, reviewInputSchema } from "./reviews";
export { connectSandboxAuthorizer, refreshSandboxKeys, sandboxSpIdFor, SANDBOX_AUTHORIZER_NAME } from "./connect";
export { sandboxEndpoint } from "@/lib/config/public-urls";
