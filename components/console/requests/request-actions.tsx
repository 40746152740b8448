"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNote, Notice } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { TimeLeft } from "@/components/sandbox/time-left";
import { consoleFetch } from "../shell/api-client";
import { consoleQueries, type RequestDetail } from "../shell/queries";

/** Copy buttons for a request's ids, and Cancel (with its consequence) while it is pending. */
export function RequestActions({ requestId, canCancel }: { requestId: string; canCancel: boolean }) {
  const queryClient = useQueryClient();
  const { data: r } = useSuspenseQuery(consoleQueries.request(requestId));
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation({
    mutationFn: () =>
      consoleFetch<RequestDetail>(`/api/console/requests/${encodeURIComponent(requestId)}/cancel`, { method: "POST" }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: consoleQueries.request(requestId).queryKey });
      void queryClient.invalidateQueries({ queryKey: consoleQueries.pendingRequests().queryKey });
    },
  });
  return (
    <div className="flex flex-wrap items-center gap-2" aria-label="Request actions" role="group">
      <CopyButton value={r.requestId} label="Copy request id" text="Copy request id" />
      {r.externalId ? <CopyButton value={r.externalId} label="Copy external id" text="Copy external id" /> : null}
      {r.status === "pending" ? (
        <span className="text-sm">
          Expires: <TimeLeft expiresAt={r.expiresAt} />
        </span>
      ) : null}
      {canCancel && r.status === "pending" ? (
        <Button
          type="button"
          variant="danger"
          size="sm"
          onClick={() => setConfirming(true)}
          disabled={cancel.isPending}
        >
          {cancel.isPending ? "Cancelling…" : "Cancel request"}
        </Button>
      ) : null}
      {cancel.error ? <ErrorNote>{cancel.error.message}</ErrorNote> : null}
      {cancel.isSuccess ? <Notice tone="green">Request cancelled.</Notice> : null}
      <ConfirmDialog
        open={confirming}
        title="Cancel this request?"
        confirmLabel="Cancel request"
        cancelLabel="Keep it pending"
        confirmVariant="dangerSolid"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          cancel.mutate();
        }}
      >
        <p>
          The request ends <strong>cancelled</strong> at once: the action will not execute, even if a reviewer approves
          it afterwards.
        </p>
        <p>
          Every authorizer still reviewing it is told to withdraw it, and your service&apos;s webhook is told the
          request was cancelled. This cannot be undone; the service would have to submit it again.
        </p>
      </ConfirmDialog>
    </div>
  );
}
