"use client";

import { Card, EmptyState } from "@/components/ui/card";
import { formatDuration } from "../shell/format";
import { useStats } from "./use-stats";

// Decisions by policy take milliseconds, by people minutes: a linear scale shows one of the two as
// a sliver. A logarithmic scale from 10 ms to the largest p95 keeps both readable, with labelled ticks.
const FLOOR_MS = 10;
const tickCandidates = [10, 100, 1_000, 10_000, 60_000, 600_000, 3_600_000, 36_000_000];

/** Where `ms` falls on the logarithmic scale from FLOOR_MS to `max`, in percent (at least 2, so a bar shows). */
export function logScalePercent(ms: number, max: number): number {
  const top = Math.log10(Math.max(max, FLOOR_MS * 10) / FLOOR_MS);
  return Math.min(100, Math.max(2, (Math.log10(Math.max(ms, FLOOR_MS) / FLOOR_MS) / top) * 100));
}

/** p50 and p95 decision latency per authorizer (one that never decided says so), as horizontal bars on one logarithmic scale. */
export function LatencyChart() {
  const { latency } = useStats();
  const max = Math.max(...latency.map((l) => l.p95Ms ?? 0), FLOOR_MS * 10);
  const ticks = tickCandidates.filter((t) => t <= max);
  return (
    <Card title="Decision latency" description="Time from receipt to decision, per authorizer, last 7 days">
      {latency.length === 0 ? (
        <EmptyState title="No authorizers yet" />
      ) : (
        <div className="space-y-4">
          <div className="flex gap-4 text-xs text-slate-500">
            <span className="flex items-center gap-1.5">
              <span className="h-2 w-4 rounded-sm bg-brand-600" aria-hidden />
              p50
            </span>
            <span className="flex items-center gap-1.5">
              <span className="h-2 w-4 rounded-sm bg-brand-500/40" aria-hidden />
              p95
            </span>
            <span className="ml-auto">logarithmic scale</span>
          </div>
          <dl className="space-y-3">
            {latency.map((row) => (
              <div key={row.authorizer}>
                <dt className="flex justify-between text-sm">
                  <span className="font-medium text-slate-800">{row.authorizer}</span>
                  <span className={row.decisions === 0 ? "font-medium text-amber-700" : "text-slate-500"}>
                    {row.decisions === 0
                      ? "no decision in 7 days"
                      : `${row.decisions} decision${row.decisions === 1 ? "" : "s"}`}
                  </span>
                </dt>
                <dd className="mt-1 space-y-1">
                  {row.p50Ms === null || row.p95Ms === null ? (
                    <p className="text-xs text-slate-500">Never decided: see its health on the Authorizers page.</p>
                  ) : null}
                  {row.p50Ms !== null &&
                    row.p95Ms !== null &&
                    (
                      [
                        ["p50", row.p50Ms, "bg-brand-600"],
                        ["p95", row.p95Ms, "bg-brand-500/40"],
                      ] as const
                    ).map(([label, value, color]) => (
                      <div key={label} className="flex items-center gap-2">
                        <div className="h-2.5 flex-1 rounded-full bg-slate-100">
                          <div
                            className={`h-2.5 rounded-full ${color}`}
                            style={{ width: `${logScalePercent(value, max)}%` }}
                          />
                        </div>
                        <span className="w-24 text-right text-xs tabular-nums text-slate-600">
                          {label} {formatDuration(value)}
                        </span>
                      </div>
                    ))}
                </dd>
              </div>
            ))}
          </dl>
          <div aria-hidden className="relative mr-26 h-4 text-[11px] text-slate-500">
            {ticks.map((t) => (
              <span
                key={t}
                className="absolute -translate-x-1/2 tabular-nums first:translate-x-0"
                style={{ left: `${logScalePercent(t, max)}%` }}
              >
                {formatDuration(t)}
              </span>
            ))}
          </div>
        </div>
      )}
    </Card>
  );
}
