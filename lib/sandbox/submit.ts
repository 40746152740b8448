/**
 * `POST …/v1/authorization-requests`: validate the verified request, check its callback URL
 * against the registration, apply the SP's policy, and store the exact signed payload. A policy
 * approval or denial is answered at once (200, signed); everything else waits for reviewers (202).
 */
import type { Database } from "@/db/client";
import { insertSandboxRequest } from "@/db/queries/system/sandbox-requests";
import { AppError, toAppError } from "@/lib/errors/app-error";
import { spendCelTime } from "@/lib/fairness/cel-time-budget";
import { privateNetworkAllowed } from "@/lib/net/outbound";
import {
  compileRoutingScript,
  flattenAuthorizationRequest,
  parseAuthorizationRequest,
  type AuthorizationRequest,
  type FlattenedRequest,
  type SignedEnvelope,
} from "@/lib/stepauth";
import { matchesCallbackPattern } from "./callback-pattern";
import { policyPrincipal, signSandboxDecision } from "./decisions";
import type { AuthenticatedSpCall } from "./inbound";
import { ensureSandboxSigningKey } from "./keys";
import { evaluateSandboxPolicy, POLICY_BUDGET_MS, type PolicyVerdict } from "./policy";

/** How far an SP's clock may run ahead of ours. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The submit answer: `202 pending` or `200 decided` with the signed decision. */
export type SubmitAnswer =
  | { httpStatus: 202; body: { requestId: string; status: "pending" } }
  | { httpStatus: 200; body: { requestId: string; status: "decided"; decision: SignedEnvelope } };

function validateRequest(call: AuthenticatedSpCall, now: Date): AuthorizationRequest {
  let request: AuthorizationRequest;
  try {
    request = parseAuthorizationRequest(call.payload, { allowLoopbackHttp: privateNetworkAllowed() });
  } catch (error) {
    throw toAppError(error, "peer") ?? error;
  }
  if (
    request.callbackUrl !== undefined &&
    !matchesCallbackPattern(call.registration.callbackUrlPattern, request.callbackUrl)
  ) {
    throw new AppError(
      "invalid_callback_url",
      "callbackUrl does not match the callback URL pattern registered for this SP",
    );
  }
  if (Date.parse(request.expiresAt) <= now.getTime())
    throw new AppError("malformed_request", "expiresAt has already passed");
  if (Date.parse(request.timestamp) > now.getTime() + MAX_CLOCK_SKEW_MS)
    throw new AppError("malformed_request", "timestamp is in the future");
  return request;
}

/** Costly rules spend the registering tenant's CEL allowance (lib/fairness): they wait for it, or 429. */
async function evaluatePolicyWithinAllowance(
  registration: AuthenticatedSpCall["registration"],
  request: FlattenedRequest,
): Promise<PolicyVerdict> {
  const costly = registration.policyRules.some((rule) => {
    const compiled = compileRoutingScript(rule.when);
    return compiled.ok && compiled.needsTimeBudget;
  });
  if (!costly) return evaluateSandboxPolicy(registration.policyRules, request);
  const settle = await spendCelTime(`sandbox-policy:${registration.tenantId}`, POLICY_BUDGET_MS);
  const started = performance.now();
  try {
    return evaluateSandboxPolicy(registration.policyRules, request);
  } finally {
    settle(performance.now() - started);
  }
}

function decisionReason(verdict: PolicyVerdict): string {
  return `${verdict.outcome === "approve" ? "Approved" : "Denied"} by policy rule "${verdict.rule}"`;
}

/**
 * Receives an authenticated submission. Throws `malformed_request`, `operator_depth_exceeded`,
 * `invalid_callback_url` or `duplicate_request` (the same requestId from this SP again).
 *
 * @example
 * ```ts
 * const answer = await receiveSandboxSubmission(db, call);
 * return json(answer.body, answer.httpStatus);
 * ```
 */
export async function receiveSandboxSubmission(
  db: Database,
  call: AuthenticatedSpCall,
  now = new Date(),
): Promise<SubmitAnswer> {
  const request = validateRequest(call, now);
  const verdict = await evaluatePolicyWithinAllowance(call.registration, flattenAuthorizationRequest(request));
  const immediate = verdict.outcome === "review" ? null : verdict;
  const key = immediate ? await ensureSandboxSigningKey(db) : null;
  const outcome = immediate?.outcome === "approve" ? "approved" : "denied";
  const decision =
    immediate && key
      ? signSandboxDecision(key, { requestId: request.requestId, spId: request.spId }, outcome, now, {
          reason: decisionReason(immediate),
          reviewers: [policyPrincipal(immediate.rule)],
        })
      : null;
  const stored = await insertSandboxRequest(db, {
    tenantId: call.registration.tenantId,
    registrationId: call.registration.id,
    spId: request.spId,
    requestId: request.requestId,
    payload: call.envelope.payload,
    envelope: call.envelope,
    summary: request.action.summary,
    actionType: request.action.type,
    actionCategory: request.action.category ?? null,
    principal: request.principal,
    action: request.action,
    callbackUrl: request.callbackUrl ?? null,
    expiresAt: new Date(request.expiresAt),
    receivedAt: now,
    policyRule: verdict.rule,
    requiredApprovals: verdict.outcome === "review" ? verdict.quorum : 0,
    ...(immediate
      ? { status: outcome, decidedAt: now, decisionReason: decisionReason(immediate), decisionEnvelope: decision }
      : {}),
  });
  if (!stored)
    throw new AppError("duplicate_request", `${request.requestId} was already received from ${request.spId}`);
  if (decision) return { httpStatus: 200, body: { requestId: request.requestId, status: "decided", decision } };
  return { httpStatus: 202, body: { requestId: request.requestId, status: "pending" } };
}
