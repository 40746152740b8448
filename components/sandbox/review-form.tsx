"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ApiError, consoleFetch } from "@/components/console/shell/api-client";
import { consoleQueries } from "@/components/console/shell/queries";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/card";

/** Approve or deny with a reason; the decision is signed and delivered by the server. */
export function ReviewForm({
  requestId,
  summaryId,
  approvalsLeft,
  onReviewed,
  approveBlocked = false,
}: {
  requestId: string;
  summaryId: string;
  approvalsLeft: number;
  onReviewed: (message: string) => void;
  approveBlocked?: boolean;
}) {
  const queryClient = useQueryClient();
  const reasonId = useId();
  const [reason, setReason] = useState("");
  const review = useMutation({
    mutationFn: (verdict: "approve" | "deny") =>
      consoleFetch<{ decided: boolean; approvals: number }>(`/api/console/sandbox/requests/${requestId}/reviews`, {
        method: "POST",
        json: { verdict, reason },
      }),
    onSuccess: (result, verdict) => {
      // The inbox announces it: a decided request leaves the pending list (and this form) at once.
      onReviewed(
        result.decided
          ? verdict === "approve"
            ? "Approved — the decision was signed and sent."
            : "Denied — the decision was signed and sent."
          : "Your approval is recorded; another reviewer must approve too.",
      );
      for (const view of ["pending", "decided"] as const)
        void queryClient.invalidateQueries({ queryKey: consoleQueries.sandboxInbox(view).queryKey });
    },
  });
  const error =
    review.error instanceof ApiError
      ? review.error.message
      : review.error
        ? "The review could not be saved. Try again."
        : null;
  return (
    <form className="space-y-3" aria-describedby={summaryId} onSubmit={(event) => event.preventDefault()}>
      <div>
        <label htmlFor={reasonId} className="block text-sm font-medium text-slate-700">
          Reason
        </label>
        <textarea
          id={reasonId}
          required
          rows={2}
          maxLength={2000}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          placeholder="What did you check? The service and the audit trail will see this."
          className="mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-brand-500"
        />
      </div>
      {error ? <ErrorNote>{error}</ErrorNote> : null}
      <div className="flex flex-wrap items-center gap-2">
        <Button
          type="button"
          disabled={approveBlocked || review.isPending || reason.trim() === ""}
          title={approveBlocked ? "Another reviewer must approve a request you are part of" : undefined}
          onClick={() => review.mutate("approve")}
          className="bg-emerald-600 hover:bg-emerald-700 disabled:bg-emerald-600/50"
        >
          {review.isPending && review.variables === "approve" ? "Approving…" : "Approve"}
        </Button>
        <Button
          type="button"
          variant="danger"
          disabled={review.isPending || reason.trim() === ""}
          onClick={() => review.mutate("deny")}
        >
          {review.isPending && review.variables === "deny" ? "Denying…" : "Deny"}
        </Button>
        {approvalsLeft > 1 ? (
          <span className="text-xs text-slate-500">{approvalsLeft} approvals still needed; any denial denies.</span>
        ) : null}
      </div>
    </form>
  );
}
