/** An inbox item as `GET /api/console/sandbox/requests` serialises it (dates are strings). */
export interface EntryView {
  key: string;
  label: string;
  value: string | EntryView[];
}

export interface PrincipalView {
  type: "human" | "service" | "agent";
  attributes: EntryView[];
  operator?: PrincipalView;
}

export interface InboxItem {
  id: string;
  spId: string;
  requestId: string;
  summary: string;
  actionType: string;
  actionCategory: string | null;
  principal: PrincipalView;
  action: { type: string; category?: string; summary: string; details?: EntryView[] };
  callbackUrl: string | null;
  expiresAt: string;
  receivedAt: string;
  status: "pending" | "approved" | "denied" | "expired" | "cancelled";
  policyRule: string | null;
  requiredApprovals: number;
  decidedAt: string | null;
  decisionReason: string | null;
  /** `accepted`: the callback was answered before the result was known; a result report brings it. */
  executionStatus: "success" | "error" | "accepted" | null;
  executionError: string | null;
  executionReportedAt: string | null;
  reviews: {
    userId: string;
    reviewerName: string;
    reviewerEmail: string;
    verdict: "approve" | "deny";
    reason: string;
    createdAt: string;
  }[];
  delivery: {
    status: "pending" | "delivered" | "failed";
    attempts: number;
    lastStatusCode: number | null;
    lastError: string | null;
    deliveredAt: string | null;
    nextAttemptAt: string;
  } | null;
}

export type InboxView = "pending" | "decided";

export const inboxQueryKey = (view: InboxView) => ["sandbox-inbox", view] as const;
