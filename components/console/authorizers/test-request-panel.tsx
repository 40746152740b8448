"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Badge, Card, ErrorNote, Notice } from "@/components/ui/card";
import type { TestRequestResult } from "@/lib/console/authorizer-test-request";
import { consoleFetch } from "../shell/api-client";
import { formatDuration } from "../shell/format";

const outcomeText: Record<TestRequestResult["outcome"], string> = {
  decided: "The authorizer decided at once, and its signature verified.",
  pending_then_cancelled: "The authorizer accepted the request for review; the gateway then cancelled it so no reviewer is bothered.",
  pending: "The authorizer accepted the request for review, but refused the follow-up cancel.",
  failed: "The authorizer did not accept the request.",
};

/** "Send test request": one harmless signed request to this authorizer, and what came back. */
export function TestRequestPanel({ name }: { name: string }) {
  const send = useMutation({ mutationFn: () => consoleFetch<TestRequestResult>(`/api/console/authorizers/${encodeURIComponent(name)}/test-request`, { method: "POST" }) });
  const r = send.data;
  return (
    <Card title="Test the connection" description="Sends a signed request that asks nothing real; it is not recorded as a request and nothing executes." actions={<Button type="button" variant="secondary" onClick={() => send.mutate()} disabled={send.isPending}>{send.isPending ? "Sending…" : "Send test request"}</Button>}>
      {send.error ? <ErrorNote>{send.error.message}</ErrorNote> : null}
      {!r && !send.error ? <p className="text-sm text-slate-500">No test sent yet in this session.</p> : null}
      {r ? (
        <div className="space-y-3 text-sm" data-testid="test-request-result">
          <Notice tone={r.outcome === "failed" ? "red" : "green"} title={r.outcome === "failed" ? `Failed: ${r.error?.code}` : r.outcome === "decided" ? `Decided: ${r.decision?.decision}` : "Accepted for review"}>
            {outcomeText[r.outcome]} {r.error ? <span className="block font-mono text-xs">{r.error.message}</span> : null}
          </Notice>
          <dl className="grid gap-2 sm:grid-cols-2">
            <div><dt className="text-xs uppercase text-slate-500">Request id</dt><dd className="font-mono text-xs">{r.requestId}</dd></div>
            <div><dt className="text-xs uppercase text-slate-500">Signed with</dt><dd className="font-mono text-xs">{r.signedWith.join(", ")}</dd></div>
            {r.decision ? <div><dt className="text-xs uppercase text-slate-500">Decision verified with</dt><dd className="font-mono text-xs">{r.decision.keyId}</dd></div> : null}
            {r.decision?.reason ? <div><dt className="text-xs uppercase text-slate-500">Reason</dt><dd>{r.decision.reason}</dd></div> : null}
          </dl>
          <ul className="space-y-1">
            {r.attempts.map((a, i) => <li key={i} className="flex items-center gap-2 text-xs"><span className="w-14 font-mono">{a.call}</span><Badge tone={a.status && a.status < 300 ? "green" : "red"}>{a.status ? `HTTP ${a.status}` : a.outcome}</Badge>{a.errorCode ? <span className="font-mono text-red-700">{a.errorCode}</span> : null}<span className="text-slate-500">{formatDuration(a.latencyMs)}</span></li>)}
          </ul>
        </div>
      ) : null}
    </Card>
  );
}
