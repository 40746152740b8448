import type { Database } from "@/db/client";
import type { Authorizer, AuthorizationRequestRow, Job } from "@/db/schema";
import { recordAuditEvent } from "@/db/queries/audit";
import { appendRequestEvents, type NewRequestEvent } from "@/db/queries/request-events";
import { getRequest } from "@/db/queries/request-lifecycle";
import { findDecisionTarget } from "@/db/queries/request-targets";
import type { TenantContext } from "@/lib/auth/tenant-context";
import {
  checkDecision,
  DECISION_CLOCK_SKEW_MS,
  type DecisionRejection,
  type StoredRequestFacts,
  type VerifiedDecision,
} from "@/lib/stepauth";
import { finalizeRequest } from "./finalize";

export type DecisionSource = "callback" | "poll" | "submit" | "cancel";

export type DecisionOutcome =
  | { outcome: "accepted"; request: AuthorizationRequestRow; deliveryJob: Job | null }
  | { outcome: "duplicate"; request: AuthorizationRequestRow }
  | { outcome: "refused"; code: DecisionRejection; request: AuthorizationRequestRow | null };

/**
 * Applies a verified decision from `authorizer` (PROTOCOL.md: what the SP checks). The first valid
 * decision wins in ONE conditional write — `status = 'pending'`, not expired, sent to this
 * authorizer under the decision's spId, the authorizer enabled now, and the decision's timestamp
 * within the freshness window — so however many copies race, through however many
 * channels or app instances, exactly one is accepted. The rest are duplicates or refusals, audited.
 * The write and everything that follows it (finalizeRequest) are a single statement.
 */
export async function applyVerifiedDecision(
  db: Database,
  ctx: TenantContext,
  authorizer: Authorizer,
  verified: VerifiedDecision,
  source: DecisionSource,
  options: { events?: NewRequestEvent[] } = {},
): Promise<DecisionOutcome> {
  const d = verified.decision;
  const decidedAt = Date.parse(d.timestamp);
  // Before 1970 (year 0000 is not even a database time) or ahead of now + 5 min is never fresh:
  // skip the write, the checks below refuse it.
  if (!(decidedAt >= 0 && decidedAt <= Date.now() + DECISION_CLOCK_SKEW_MS))
    return classifyLostDecision(db, ctx, authorizer, verified, source, options.events ?? []);
  const done = await finalizeRequest(db, ctx, {
    requestId: d.requestId,
    status: d.decision,
    source,
    condition: { kind: "decision", spId: d.spId, timestamp: new Date(decidedAt).toISOString() },
    decision: {
      keyId: verified.keyId,
      reason: d.reason ?? null,
      reviewers: d.reviewers ?? null,
      envelope: verified.envelope,
    },
    winningAuthorizerId: authorizer.id,
    events: [
      ...(options.events ?? []),
      {
        type: "decision_accepted",
        authorizerId: authorizer.id,
        data: {
          decision: d.decision,
          keyId: verified.keyId,
          source,
          reason: d.reason,
          reviewers: d.reviewers?.length ?? 0,
        },
      },
    ],
  });
  if (done) return { outcome: "accepted", request: done.request, deliveryJob: done.deliveryJob };
  return classifyLostDecision(db, ctx, authorizer, verified, source, options.events ?? []);
}

/** Why the conditional write did not take: a duplicate of the winner, or a refusal with its code. */
async function classifyLostDecision(
  tx: Database,
  ctx: TenantContext,
  authorizer: Authorizer,
  verified: VerifiedDecision,
  source: DecisionSource,
  events: NewRequestEvent[],
): Promise<DecisionOutcome> {
  const d = verified.decision;
  const request = await getRequest(tx, ctx, d.requestId);
  const target = request ? await findDecisionTarget(tx, ctx, d.requestId, authorizer.id) : null;
  const facts =
    request && target
      ? {
          requestId: request.requestId,
          spId: target.spId,
          requestTimestamp: signedTimestampOf(target.payload),
          expiresAt: request.expiresAt,
          status: factStatus(request.status),
          authorizerEnabled: target.enabled,
        }
      : undefined;
  const check = checkDecision(facts, d, Date.now());
  // Passing every check here means the write lost to the clock (expiry) between the two statements.
  const code: DecisionRejection = check.accept ? "expired" : check.code;
  const data = { code, decision: d.decision, keyId: verified.keyId, source, timestamp: d.timestamp };
  if (!request) {
    await recordAuditEvent(tx, ctx, {
      action: "decision.refused",
      target: d.requestId,
      data: { ...data, authorizer: authorizer.name },
    });
    return { outcome: "refused", code: "unknown_request", request: null };
  }
  // A repeat of the decision that won (an authorizer's own "expired" included) answers the same result again.
  const sameAsWinner =
    (code === "already_decided" || code === "expired") &&
    request.decisionAuthorizerId === authorizer.id &&
    request.status === d.decision;
  if (sameAsWinner) {
    await appendRequestEvents(tx, ctx, request.requestId, [
      ...events,
      { type: "decision_duplicate", authorizerId: authorizer.id, data },
    ]);
    return { outcome: "duplicate", request };
  }
  await appendRequestEvents(tx, ctx, request.requestId, [
    ...events,
    { type: "decision_refused", authorizerId: authorizer.id, data },
  ]);
  return { outcome: "refused", code, request };
}

function factStatus(status: AuthorizationRequestRow["status"]): StoredRequestFacts["status"] {
  return status === "pending" || status === "cancelled" || status === "expired" ? status : "decided";
}

// The request's `timestamp` as signed for this authorizer: the lower end of the freshness window.
function signedTimestampOf(payload: string): string {
  const { timestamp } = JSON.parse(payload) as { timestamp?: unknown };
  return typeof timestamp === "string" ? timestamp : "";
}
