"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Badge, Card, ErrorNote, Notice } from "@/components/ui/card";
import type { TestRequestResult } from "@/lib/console/authorizer-test-request";
import { consoleFetch } from "../shell/api-client";
import { formatDuration } from "../shell/format";
import { consoleQueries } from "../shell/queries";

const outcomeText: Record<TestRequestResult["outcome"], string> = {
  decided: "The authorizer decided at once, and its signature verified.",
  pending_then_cancelled:
    "The authorizer accepted the request for review; the gateway then cancelled it so no reviewer is bothered.",
  pending: "The authorizer accepted the request for review, but refused the follow-up cancel.",
  failed: "The authorizer did not accept the request.",
};

/**
 * "Send test request": one harmless signed request to this authorizer, and what came back.
 * "Test with the new key only" signs it with the newest key alone; acceptance records that the
 * authorizer knows that key, which is what lets the older key be retired safely.
 */
export function TestRequestPanel({ name, provenKeyIds }: { name: string; provenKeyIds: string[] }) {
  const queryClient = useQueryClient();
  const { data: keys } = useSuspenseQuery(consoleQueries.signingKeys());
  const live = keys.data.filter((k) => k.state !== "retired");
  const newest = live.find((k) => k.state === "next") ?? live.filter((k) => k.state === "active").at(-1);
  const send = useMutation({
    mutationFn: (keyId?: string) =>
      consoleFetch<TestRequestResult>(`/api/console/authorizers/${encodeURIComponent(name)}/test-request`, {
        method: "POST",
        json: keyId ? { keyId } : undefined,
      }),
    onSuccess: (result) =>
      result.provenKeyId
        ? queryClient.invalidateQueries({ queryKey: consoleQueries.authorizers().queryKey })
        : undefined,
  });
  const r = send.data;
  const actions = (
    <div className="flex flex-wrap gap-2">
      <Button type="button" variant="secondary" onClick={() => send.mutate(undefined)} disabled={send.isPending}>
        {send.isPending ? "Sending…" : "Send test request"}
      </Button>
      {newest && live.length > 1 ? (
        <Button type="button" variant="secondary" onClick={() => send.mutate(newest.keyId)} disabled={send.isPending}>
          Test with the new key only
        </Button>
      ) : null}
    </div>
  );
  return (
    <Card
      title="Test the connection"
      description="Sends a signed request that asks nothing real; it is not recorded as a request and nothing executes."
      actions={actions}
    >
      {newest && live.length > 1 ? (
        <p className="mb-3 text-sm text-slate-600">
          {provenKeyIds.includes(newest.keyId) ? (
            <>
              This authorizer has accepted a request signed by <span className="font-mono">{newest.keyId}</span> alone:
              retiring the old key will not break it.
            </>
          ) : (
            <>
              Not yet shown to accept <span className="font-mono">{newest.keyId}</span> alone: “Test with the new key
              only” proves it before the old key is retired.
            </>
          )}
        </p>
      ) : null}
      {send.error ? <ErrorNote>{send.error.message}</ErrorNote> : null}
      {!r && !send.error ? <p className="text-sm text-slate-500">No test sent yet in this session.</p> : null}
      {r ? (
        <div className="space-y-3 text-sm" data-testid="test-request-result">
          <Notice
            tone={r.outcome === "failed" ? "red" : "green"}
            title={
              r.outcome === "failed"
                ? `Failed: ${r.error?.code}`
                : r.outcome === "decided"
                  ? `Decided: ${r.decision?.decision}`
                  : "Accepted for review"
            }
          >
            {outcomeText[r.outcome]}
            {r.error ? (
              <span className="mt-1 block font-medium" data-testid="test-request-cause">
                Cause: {r.error.cause}
              </span>
            ) : null}
          </Notice>
          <dl className="grid gap-2 sm:grid-cols-2">
            <div>
              <dt className="text-xs uppercase text-slate-500">Request id</dt>
              <dd className="font-mono text-xs">{r.requestId}</dd>
            </div>
            <div>
              <dt className="text-xs uppercase text-slate-500">Signed with</dt>
              <dd className="font-mono text-xs">{r.signedWith.join(", ")}</dd>
            </div>
            {r.decision ? (
              <div>
                <dt className="text-xs uppercase text-slate-500">Decision verified with</dt>
                <dd className="font-mono text-xs">{r.decision.keyId}</dd>
              </div>
            ) : null}
            {r.provenKeyId ? (
              <div>
                <dt className="text-xs uppercase text-slate-500">Now known to accept</dt>
                <dd className="font-mono text-xs">{r.provenKeyId}</dd>
              </div>
            ) : null}
            {r.decision?.reason ? (
              <div>
                <dt className="text-xs uppercase text-slate-500">Reason</dt>
                <dd>{r.decision.reason}</dd>
              </div>
            ) : null}
          </dl>
          <ul className="space-y-1">
            {r.attempts.map((a, i) => (
              <li key={i} className="flex items-center gap-2 text-xs">
                <span className="w-14 font-mono">{a.call}</span>
                <Badge tone={a.status && a.status < 300 ? "green" : "red"}>
                  {a.status ? `HTTP ${a.status}` : a.outcome}
                </Badge>
                {a.errorCode ? <span className="font-mono text-red-700">{a.errorCode}</span> : null}
                <span className="text-slate-500">{formatDuration(a.latencyMs)}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Card>
  );
}
