import { Badge, Notice } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import { principalChainIncludesEmail } from "@/lib/sandbox/separation-of-duties";
import { DetailsTable } from "./details-table";
import { PrincipalChain } from "./principal-chain";
import { ReviewForm } from "./review-form";
import { TimeLeft } from "./time-left";
import type { InboxItem } from "./types";

const statusTone = {
  pending: "amber",
  approved: "green",
  denied: "red",
  expired: "slate",
  cancelled: "slate",
} as const;

function ExecutionNote({ item }: { item: InboxItem }) {
  if (item.status === "pending" || item.status === "cancelled") return null;
  // A result can come in the callback's answer or later by result report, whatever the delivery channel.
  const reportedAt = item.executionReportedAt ? ` · ${new Date(item.executionReportedAt).toLocaleString()}` : "";
  if (item.executionStatus === "success")
    return (
      <p className="text-sm font-medium text-emerald-700">
        Executed · the service reports: execution succeeded{reportedAt}
      </p>
    );
  if (item.executionStatus === "error")
    return (
      <p className="text-sm font-medium text-red-700">
        Not executed or failed · the service reports an error: {item.executionError}
        {reportedAt}
      </p>
    );
  if (!item.delivery)
    return (
      <p className="text-sm text-slate-500">
        {item.callbackUrl ? "Not delivered yet." : "Available to the service by poll (no callback URL)."}
      </p>
    );
  if (item.delivery.status === "pending")
    return (
      <p className="text-sm text-slate-600">
        Delivering to the service… attempt {item.delivery.attempts}
        {item.delivery.lastError ? ` (last: ${item.delivery.lastError})` : ""}
      </p>
    );
  if (item.delivery.status === "failed")
    return (
      <p className="text-sm text-red-700">
        Delivery failed after {item.delivery.attempts} attempts: {item.delivery.lastError}. The service can still poll.
      </p>
    );
  if (item.executionStatus === "accepted")
    return (
      <p className="text-sm text-slate-600">
        Delivered · accepted by the service; its execution result will follow as a result report
      </p>
    );
  return <p className="text-sm text-slate-600">Delivered · the service sent no execution result</p>;
}

/** One request: the summary first and large, then who asks, the details, and the decision. */
export function RequestCard({
  item,
  canDecide,
  currentUserId,
  currentUserEmail,
  onReviewed,
}: {
  item: InboxItem;
  canDecide: boolean;
  currentUserId: string;
  currentUserEmail: string;
  onReviewed: (message: string) => void;
}) {
  const summaryId = `summary-${item.id}`;
  const approvals = item.reviews.filter((r) => r.verdict === "approve").length;
  const reviewedByMe = item.reviews.some((r) => r.userId === currentUserId);
  // The server enforces it (separation_of_duties); the card says so before anyone tries.
  const ownRequest = principalChainIncludesEmail(item.principal, currentUserEmail);
  return (
    <article aria-labelledby={summaryId} className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
      <div className="space-y-4 px-5 py-5">
        <div className="flex flex-wrap items-center gap-2 text-xs">
          <Badge tone={statusTone[item.status]}>{item.status}</Badge>
          <Badge tone="blue">{item.actionType}</Badge>
          {item.actionCategory ? <Badge>{item.actionCategory}</Badge> : null}
          <span className="ml-auto">{item.status === "pending" ? <TimeLeft expiresAt={item.expiresAt} /> : null}</span>
        </div>
        <h2 id={summaryId} className="text-lg leading-snug font-semibold text-slate-900 sm:text-xl">
          {item.summary}
        </h2>
        <section aria-label="Requested by" className="space-y-1.5">
          <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Requested by</h3>
          <PrincipalChain principal={item.principal} />
        </section>
        <section aria-label="Details" className="space-y-1">
          <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Details</h3>
          <DetailsTable details={item.action.details} caption={`Details of ${item.actionType}`} />
        </section>
        <p className="text-xs break-words text-slate-500">
          Received <RelativeTime value={item.receivedAt} /> · from <code>{item.spId}</code> · request{" "}
          <code>{item.requestId}</code> ·{" "}
          {item.policyRule ? `policy rule “${item.policyRule}”` : "default policy: human review"}
          {item.requiredApprovals > 1 ? ` · needs ${item.requiredApprovals} reviewers (${approvals} so far)` : ""}
        </p>
      </div>
      {item.reviews.length > 0 ? (
        <ul aria-label="Reviews" className="space-y-3 border-t border-slate-100 px-5 py-3">
          {item.reviews.map((r) => (
            <li key={r.userId} className="text-sm text-slate-700">
              <p className="flex flex-wrap items-baseline gap-x-2">
                <span className={r.verdict === "approve" ? "font-medium text-emerald-700" : "font-medium text-red-700"}>
                  {r.verdict === "approve" ? "Approved" : "Denied"}
                </span>
                <span className="font-medium text-slate-900">{r.reviewerName}</span>
                <span className="break-all text-xs text-slate-500">{r.reviewerEmail}</span>
                <RelativeTime value={r.createdAt} className="text-xs text-slate-500" />
              </p>
              <p className="mt-0.5 border-l-2 border-slate-200 pl-3 text-slate-700" data-testid="review-reason">
                {r.reason}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="rounded-b-xl border-t border-slate-100 bg-slate-50/60 px-5 py-4">
        {item.status !== "pending" ? (
          <div className="space-y-1">
            {item.decisionReason ? <p className="text-sm text-slate-700">{item.decisionReason}</p> : null}
            <ExecutionNote item={item} />
          </div>
        ) : !canDecide ? (
          <p className="text-sm text-slate-600">
            Viewers can read the inbox but not decide. Ask an admin or owner to review.
          </p>
        ) : reviewedByMe ? (
          <p className="text-sm text-slate-600">
            You approved this request. It needs {item.requiredApprovals - approvals} more approval(s) from other
            reviewers.
          </p>
        ) : (
          <div className="space-y-3">
            {ownRequest ? (
              <Notice tone="amber" title="You are in this request's principal chain">
                Separation of duties: someone who asked for an action may not approve it. Another reviewer must approve
                it; you may still deny it.
              </Notice>
            ) : null}
            <ReviewForm
              requestId={item.id}
              summaryId={summaryId}
              approvalsLeft={item.requiredApprovals - approvals}
              onReviewed={onReviewed}
              approveBlocked={ownRequest}
            />
          </div>
        )}
      </div>
    </article>
  );
}
