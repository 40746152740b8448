"use client";

import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import { Card, EmptyState } from "@/components/ui/card";
import { consoleQueries } from "../shell/queries";
import { StatusBadge } from "../requests/status-badge";
import { RelativeTime } from "@/components/ui/time";

/** The latest webhook deliveries of decisions, with attempts and the last answer. */
export function RecentDeliveries() {
  const { data } = useSuspenseQuery({ ...consoleQueries.deliveries(), refetchInterval: 10_000 });
  return (
    <Card
      title="Recent deliveries"
      description="Decisions delivered to the service webhook (test events are not listed)."
    >
      {data.data.length === 0 ? (
        <EmptyState title="No deliveries yet">
          Once a webhook is set, every final decision is delivered and listed here.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {data.data.map((d) => (
            <li key={d.requestId} className="flex flex-wrap items-start justify-between gap-2 py-2.5 text-sm">
              <div className="min-w-0 flex-1">
                <Link href={`/requests/${d.requestId}`} className="line-clamp-1 text-slate-900 hover:underline">
                  {d.summary}
                </Link>
                <p className="text-xs text-slate-500">
                  {d.execute ? "execute" : "notify only"} · {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
                  {d.lastStatusCode ? ` · HTTP ${d.lastStatusCode}` : ""} ·{" "}
                  <RelativeTime value={d.lastAttemptAt ?? d.createdAt} />
                </p>
                {d.lastError ? <p className="line-clamp-1 text-xs text-red-700">{d.lastError}</p> : null}
              </div>
              <StatusBadge status={d.status} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
