"use client";

import { Card, EmptyState } from "@/components/ui/card";
import { statusColors } from "../requests/status-badge";
import { useStats } from "./use-stats";

const stackOrder = ["cancelled", "expired", "pending", "denied", "approved"] as const;

function lastSevenDays(): string[] {
  const today = new Date();
  return Array.from({ length: 7 }, (_, i) =>
    new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 6 + i))
      .toISOString()
      .slice(0, 10),
  );
}

/** Stacked columns per UTC day; each column also has a text equivalent for screen readers. */
export function DailyChart() {
  const { daily } = useStats();
  const days = lastSevenDays();
  const byDay = new Map(days.map((d) => [d, {} as Record<string, number>]));
  for (const row of daily) {
    const bucket = byDay.get(row.day);
    if (bucket) bucket[row.status] = row.count;
  }
  const totals = days.map((d) => Object.values(byDay.get(d) ?? {}).reduce((a, b) => a + b, 0));
  const max = Math.max(...totals, 1);
  return (
    <Card title="Requests per day" description="Last 7 days (UTC), stacked by status">
      {totals.every((t) => t === 0) ? (
        <EmptyState title="Nothing in the last 7 days" />
      ) : (
        <ol className="flex h-44 items-end gap-2 sm:gap-4">
          {days.map((day, i) => {
            const counts = byDay.get(day) ?? {};
            const label = new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", {
              weekday: "short",
              day: "numeric",
              timeZone: "UTC",
            });
            return (
              <li key={day} className="flex h-full flex-1 flex-col items-center justify-end gap-1">
                <span className="text-xs font-medium tabular-nums text-slate-600">{totals[i] || ""}</span>
                <div
                  className="flex w-full max-w-12 flex-col-reverse overflow-hidden rounded-t-md bg-slate-50"
                  style={{ height: `${(totals[i]! / max) * 100}%` }}
                  aria-label={`${label}: ${stackOrder.map((s) => `${counts[s] ?? 0} ${s}`).join(", ")}`}
                  role="img"
                >
                  {stackOrder.map((s) =>
                    counts[s] ? (
                      <div
                        key={s}
                        className={statusColors[s]}
                        style={{ height: `${(counts[s] / totals[i]!) * 100}%` }}
                      />
                    ) : null,
                  )}
                </div>
                <span className="whitespace-nowrap text-xs text-slate-500">{label}</span>
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
