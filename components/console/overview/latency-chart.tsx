"use client";

import { Card, EmptyState } from "@/components/ui/card";
import { formatDuration } from "../shell/format";
import { useStats } from "./use-stats";

/** p50 and p95 decision latency per deciding authorizer, as horizontal bars on one scale. */
export function LatencyChart() {
  const { latency } = useStats();
  const max = Math.max(...latency.map((l) => l.p95Ms ?? 0), 1);
  return (
    <Card title="Decision latency" description="Time from receipt to decision, per authorizer, last 7 days">
      {latency.length === 0 ? (
        <EmptyState title="No authorizers yet" />
      ) : (
        <div className="space-y-4">
          <div className="flex gap-4 text-xs text-slate-500">
            <span className="flex items-center gap-1.5"><span className="h-2 w-4 rounded-sm bg-brand-600" aria-hidden />p50</span>
            <span className="flex items-center gap-1.5"><span className="h-2 w-4 rounded-sm bg-brand-100" aria-hidden />p95</span>
          </div>
          <dl className="space-y-3">
            {latency.map((row) => (
              <div key={row.authorizer}>
                <dt className="flex justify-between text-sm">
                  <span className="font-medium text-slate-800">{row.authorizer}</span>
                  <span className={row.decisions === 0 ? "font-medium text-amber-700" : "text-slate-500"}>{row.decisions === 0 ? "no decision in 7 days" : `${row.decisions} decision${row.decisions === 1 ? "" : "s"}`}</span>
                </dt>
                <dd className="mt-1 space-y-1">
                  {row.p50Ms === null || row.p95Ms === null ? <p className="text-xs text-slate-500">Never decided: see its health on the Authorizers page.</p> : null}
                  {row.p50Ms !== null && row.p95Ms !== null && ([["p50", row.p50Ms, "bg-brand-600"], ["p95", row.p95Ms, "bg-brand-100"]] as const).map(([label, value, color]) => (
                    <div key={label} className="flex items-center gap-2">
                      <div className="h-2.5 flex-1 rounded-full bg-slate-50">
                        <div className={`h-2.5 rounded-full ${color}`} style={{ width: `${Math.max((value / max) * 100, 1)}%` }} />
                      </div>
                      <span className="w-24 text-right text-xs tabular-nums text-slate-600">{label} {formatDuration(value)}</span>
                    </div>
                  ))}
                </dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </Card>
  );
}
