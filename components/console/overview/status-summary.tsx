"use client";

import Link from "next/link";
import { Card, EmptyState } from "@/components/ui/card";
import { formatPercent } from "../shell/format";
import { statusColors } from "../requests/status-badge";
import { useStats } from "./use-stats";

const order = ["approved", "denied", "pending", "expired", "cancelled"] as const;
/** Below this many decisions a percentage headline ("100% approval rate") says more than it knows. */
const MIN_DECISIONS_FOR_RATE = 20;

/** Requests of one window by status: a proportional bar, a legend with counts, the approval rate. */
export function StatusSummary({ window }: { window: "24h" | "7d" }) {
  const stats = useStats();
  const counts = window === "24h" ? stats.last24h : stats.last7d;
  const total = order.reduce((sum, s) => sum + counts[s], 0);
  const decided = counts.approved + counts.denied;
  const title = window === "24h" ? "Last 24 hours" : "Last 7 days";
  return (
    <Card title={title} description="Requests received, by status">
      {total === 0 ? (
        window === "24h" ? (
          <EmptyState title="No authorization requests yet">
            Requests your services send to{" "}
            <code className="rounded bg-slate-100 px-1">POST /api/v1/authorization-requests</code> appear here with
            their decisions. Start with an{" "}
            <Link className="font-medium text-brand-700 underline" href="/api-keys">
              API key
            </Link>{" "}
            and an{" "}
            <Link className="font-medium text-brand-700 underline" href="/authorizers">
              authorizer
            </Link>
            .
          </EmptyState>
        ) : (
          <EmptyState title="No requests in the last 7 days" />
        )
      ) : (
        <div className="space-y-4">
          <div className="flex items-end justify-between gap-4">
            <p>
              <span className="text-3xl font-semibold tabular-nums">{total}</span>{" "}
              <span className="text-sm text-slate-500">requests</span>
            </p>
            {decided >= MIN_DECISIONS_FOR_RATE ? (
              <p className="text-right">
                <span className="text-2xl font-semibold tabular-nums text-emerald-700">
                  {formatPercent(counts.approved, decided)}
                </span>
                <br />
                <span className="text-xs text-slate-500">approval rate ({decided} decided)</span>
              </p>
            ) : (
              <p className="text-right text-xs text-slate-500" data-testid="approval-rate-withheld">
                {counts.approved} approved of {decided} decided
                <br />
                (a rate needs {MIN_DECISIONS_FOR_RATE}+ decisions)
              </p>
            )}
          </div>
          <div
            className="flex h-3 overflow-hidden rounded-full bg-slate-100"
            role="img"
            aria-label={order.map((s) => `${counts[s]} ${s}`).join(", ")}
          >
            {order.map((s) =>
              counts[s] > 0 ? (
                <div key={s} className={statusColors[s]} style={{ width: `${(counts[s] / total) * 100}%` }} />
              ) : null,
            )}
          </div>
          <ul className="grid grid-cols-2 gap-x-4 gap-y-1.5 text-sm sm:grid-cols-3">
            {order.map((s) => (
              <li key={s}>
                <Link
                  href={`/requests?status=${s}&range=${window}`}
                  className="flex items-center gap-2 rounded hover:underline"
                >
                  <span className={`size-2.5 rounded-full ${statusColors[s]}`} aria-hidden />
                  <span className="capitalize text-slate-600">{s}</span>
                  <span className="ml-auto font-medium tabular-nums">{counts[s]}</span>
                </Link>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
