"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/card";
import type { VerifyReport } from "@/lib/audit-chain/verifier";
import { consoleFetch } from "../shell/api-client";

/** "Verify integrity": re-checks the sealed audit trail (hash chains and signed checkpoints) and says what it found. */
export function VerifyIntegrity({ range }: { range?: string }) {
  const verify = useMutation({
    mutationFn: () =>
      consoleFetch<VerifyReport>(`/api/console/audit/verify${range ? `?range=${encodeURIComponent(range)}` : ""}`),
  });
  const report = verify.data;
  return (
    <div className="space-y-3" aria-live="polite">
      <Button variant="secondary" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? "Verifying…" : "Verify integrity"}
      </Button>
      {verify.error ? (
        <Notice tone="red" title="Verification could not run">
          {verify.error.message}
        </Notice>
      ) : null}
      {report?.ok ? (
        <Notice tone="green" title="Audit trail intact">
          {report.entriesChecked} entries and {report.checkpointsChecked} signed checkpoints verified
          {report.unsealedEntries > 0 ? `; ${report.unsealedEntries} recent entries are not sealed yet` : ""}.
        </Notice>
      ) : null}
      {report && !report.ok ? (
        <Notice tone="red" title="Audit trail tampered with">
          First broken {report.firstFailure?.kind.replace("_", " ")}{" "}
          <code className="font-mono">{report.firstFailure?.id}</code>: {report.firstFailure?.why}.
          {` ${report.entriesChecked} entries and ${report.checkpointsChecked} checkpoints verified before it.`}
        </Notice>
      ) : null}
    </div>
  );
}
