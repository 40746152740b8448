/**
 * Decisions of the sandbox: signed with its own key, written in one conditional update (only a
 * pending request can be decided, so the first decision wins) together with the callback
 * delivery row that will carry it to the SP.
 */
import type { Database } from "@/db/client";
import type { SandboxRequest } from "@/db/schema";
import { storeSandboxDecision } from "@/db/queries/system/sandbox-requests";
import { signJsonPayload, type Principal, type SignedEnvelope } from "@/lib/stepauth";
import type { SandboxKey } from "./keys";

/** A final outcome of the sandbox; `cancelled` is not a decision and is never signed. */
export type SandboxOutcome = "approved" | "denied" | "expired";

/** What a decision says besides its outcome. */
export interface DecisionFacts {
  reason?: string;
  reviewers?: Pick<Principal, "type" | "attributes">[];
}

/** RFC 3339 UTC without fractions, as the vectors write it. */
export function wireTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Signs a decision for a stored request with the sandbox's key.
 *
 * @example
 * ```ts
 * const envelope = signSandboxDecision(key, row, "approved", new Date(), { reason: "Looks right" });
 * ```
 */
export function signSandboxDecision(
  key: SandboxKey,
  row: Pick<SandboxRequest, "requestId" | "spId">,
  outcome: SandboxOutcome,
  at: Date,
  facts: DecisionFacts = {},
): SignedEnvelope {
  const payload: Record<string, unknown> = {
    requestId: row.requestId,
    spId: row.spId,
    decision: outcome,
    timestamp: wireTimestamp(at),
  };
  if (facts.reason) payload.reason = facts.reason.slice(0, 4000);
  if (facts.reviewers && facts.reviewers.length > 0) payload.reviewers = facts.reviewers;
  return signJsonPayload(payload, [key.signer]);
}

/** A human reviewer as the decision names them. */
export function reviewerPrincipal(name: string, email: string): Pick<Principal, "type" | "attributes"> {
  return {
    type: "human",
    attributes: [
      { key: "name", label: "Name", value: name },
      { key: "email", label: "Email", value: email },
    ],
  };
}

/** The policy engine as the decision names it. */
export function policyPrincipal(rule: string): Pick<Principal, "type" | "attributes"> {
  return {
    type: "service",
    attributes: [
      { key: "name", label: "Name", value: "Sandbox policy" },
      { key: "rule", label: "Rule", value: rule },
    ],
  };
}

/**
 * Decides a pending request (call inside the transaction that made the decision): signs it,
 * stores the envelope, and queues its callback delivery. Returns null when the request was no
 * longer pending (someone else decided, cancelled or expired it first).
 *
 * @example
 * ```ts
 * await db.transaction((tx) => decideSandboxRequest(tx, key, row, "denied", { reason }));
 * ```
 */
export async function decideSandboxRequest(
  tx: Database,
  key: SandboxKey,
  row: SandboxRequest,
  outcome: SandboxOutcome,
  facts: DecisionFacts = {},
  at = new Date(),
): Promise<SandboxRequest | null> {
  const envelope = signSandboxDecision(key, row, outcome, at, facts);
  return storeSandboxDecision(tx, row, {
    status: outcome,
    decidedAt: at,
    reason: facts.reason ?? null,
    envelope,
  });
}
