"use client";

import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import { Badge, Card, EmptyState } from "@/components/ui/card";
import { TimeLeft } from "@/components/sandbox/time-left";
import { formatDateTime } from "../shell/format";
import { consoleQueries } from "../shell/queries";

/** Requests still waiting for a decision, oldest first, each with the time it has left. */
export function PendingRequestsPanel() {
  const { data } = useSuspenseQuery({ ...consoleQueries.pendingRequests(), refetchInterval: 15_000 });
  return (
    <Card
      title="Pending requests"
      description="Waiting for a reviewer, oldest first"
      actions={
        <Link href="/requests?status=pending" className="text-sm font-medium text-brand-700 hover:underline">
          All {data.total}
        </Link>
      }
    >
      {data.data.length === 0 ? (
        <EmptyState title="Nothing is waiting">Every request has been decided.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Pending requests">
          {data.data.map((r) => (
            <li key={r.requestId} className="flex flex-wrap items-start justify-between gap-2 py-2.5">
              <Link href={`/requests/${r.requestId}`} className="min-w-0 flex-1 text-sm hover:underline">
                <span className="line-clamp-2 text-slate-800">{r.summary}</span>
                <span className="text-xs text-slate-500">
                  {r.actionType} · received {formatDateTime(r.createdAt)}
                </span>
              </Link>
              <TimeLeft expiresAt={r.expiresAt} />
            </li>
          ))}
        </ul>
      )}
      {data.expiringSoon > 0 ? (
        <p className="mt-2 text-xs font-medium text-amber-700">
          <Badge tone="amber">{data.expiringSoon}</Badge> expire within 15 minutes
        </p>
      ) : null}
    </Card>
  );
}
