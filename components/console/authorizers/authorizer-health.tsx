"use client";

import { Badge } from "@/components/ui/card";
import { formatDateTime, formatDuration } from "../shell/format";
import type { AuthorizerRow } from "../shell/queries";

type Health = AuthorizerRow["health"];
const tones = { healthy: "green", degraded: "amber", failing: "red", untested: "slate" } as const;

/** healthy · degraded · failing · untested, as a badge. */
export function HealthBadge({ state }: { state: Health["state"] }) {
  return <Badge tone={tones[state]}>{state}</Badge>;
}

const percent = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 1000) / 10}%`);

/** One line for the list: the last failure and its cause, or the last success. */
export function HealthLine({ health }: { health: Health }) {
  if (health.state === "untested") return <p className="text-xs text-slate-500">No traffic or test in the last 24 h</p>;
  return (
    <p className="text-xs text-slate-600">
      {percent(health.lastHour.errorRate)} errors (1 h) · p95 {formatDuration(health.lastHour.p95Ms)}
      {health.lastFailureCause ? (
        <>
          {" "}
          · last failure: <span className="text-red-700">{health.lastFailureCause}</span>
        </>
      ) : null}
    </p>
  );
}

/** The detail page's table: last success, last failure with its cause, and both windows side by side. */
export function HealthDetails({ health }: { health: Health }) {
  const windows = [
    ["Last hour", health.lastHour],
    ["Last 24 hours", health.lastDay],
  ] as const;
  return (
    <div className="space-y-3 text-sm" data-testid="authorizer-health">
      <div className="flex flex-wrap items-center gap-2">
        <HealthBadge state={health.state} />
        <span className="text-slate-600">{stateText[health.state]}</span>
      </div>
      <dl className="grid gap-3 sm:grid-cols-2">
        <div>
          <dt className="text-xs uppercase text-slate-500">Last success</dt>
          <dd>{formatDateTime(health.lastSuccessAt)}</dd>
        </div>
        <div>
          <dt className="text-xs uppercase text-slate-500">Last failure</dt>
          <dd>
            {formatDateTime(health.lastFailureAt)}
            {health.lastFailureCause ? (
              <span className="block break-words font-mono text-xs text-red-700">{health.lastFailureCause}</span>
            ) : null}
          </dd>
        </div>
      </dl>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1 pr-3 font-medium">Window</th>
              <th className="pr-3 font-medium">OK</th>
              <th className="pr-3 font-medium">Failed</th>
              <th className="pr-3 font-medium">Error rate</th>
              <th className="pr-3 font-medium">p50</th>
              <th className="font-medium">p95</th>
            </tr>
          </thead>
          <tbody>
            {windows.map(([label, w]) => (
              <tr key={label} className="border-t border-slate-100 tabular-nums">
                <td className="py-1 pr-3">{label}</td>
                <td className="pr-3">{w.successes}</td>
                <td className="pr-3">{w.failures}</td>
                <td className="pr-3">{percent(w.errorRate)}</td>
                <td className="pr-3">{formatDuration(w.p50Ms)}</td>
                <td>{formatDuration(w.p95Ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-slate-500">
        Failing: half or more of the last hour&apos;s calls and callbacks failed, or only failures in 24 h. Degraded:
        any failure in the last hour, 10% or more errors over 24 h, or a last-hour p95 of 5 s or more.
      </p>
    </div>
  );
}

const stateText: Record<Health["state"], string> = {
  healthy: "Answering normally.",
  degraded: "Answering, with some failures or slow answers.",
  failing:
    "Most recent calls or callbacks failed: requests routed here may be denied (fail closed) or approved without review (fail open).",
  untested: "Nothing was sent to it or heard from it in the last 24 hours: send a test request.",
};
