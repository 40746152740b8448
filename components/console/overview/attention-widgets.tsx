"use client";

import Link from "next/link";
import { Badge, Card, EmptyState } from "@/components/ui/card";
import { useStats } from "./use-stats";
import { RelativeTime } from "@/components/ui/time";

/** Approvals granted without a reviewer because every authorizer was unreachable. */
export function FailOpenWidget() {
  const { failOpen } = useStats();
  return (
    <Card
      title="Fail-open executions"
      description="Approved without review because no authorizer answered (7 days)"
      actions={<Badge tone={failOpen.total > 0 ? "amber" : "green"}>{failOpen.total}</Badge>}
    >
      {failOpen.recent.length === 0 ? (
        <EmptyState title="None">Every approval in the last 7 days came from a reviewer or a routing rule.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {failOpen.recent.map((r) => (
            <li key={r.requestId} className="py-2.5">
              <Link href={`/requests/${r.requestId}`} className="block rounded text-sm hover:underline">
                <span className="line-clamp-2 text-slate-800">{r.summary}</span>
                <span className="text-xs text-slate-500">
                  {r.actionType} · <RelativeTime value={r.createdAt} />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** Service-webhook deliveries that failed or keep failing: the service may not have executed. */
export function DeliveryFailuresWidget() {
  const { deliveryFailures } = useStats();
  return (
    <Card
      title="Delivery failures"
      description="Service webhook deliveries that failed or are retrying"
      actions={<Badge tone={deliveryFailures.length > 0 ? "red" : "green"}>{deliveryFailures.length}</Badge>}
    >
      {deliveryFailures.length === 0 ? (
        <EmptyState title="Nothing needs attention">Every decision reached your service on the first try.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {deliveryFailures.map((d) => (
            <li key={d.requestId} className="py-2.5">
              <Link href={`/requests/${d.requestId}`} className="block rounded text-sm hover:underline">
                <span className="flex items-center gap-2">
                  <Badge tone={d.status === "failed" ? "red" : "amber"}>
                    {d.status === "failed" ? "failed" : "retrying"}
                  </Badge>
                  <span className="text-xs text-slate-500">
                    {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
                    {d.lastStatusCode ? ` · HTTP ${d.lastStatusCode}` : ""}
                  </span>
                </span>
                <span className="mt-1 line-clamp-1 text-slate-800">{d.summary}</span>
                {d.lastError ? <span className="line-clamp-1 text-xs text-red-700">{d.lastError}</span> : null}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
