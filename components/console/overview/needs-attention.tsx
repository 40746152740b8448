"use client";

import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import { Badge, Card, EmptyState } from "@/components/ui/card";
import { TimeLeft } from "@/components/sandbox/time-left";
import { formatDateTime } from "../shell/format";
import { consoleQueries } from "../shell/queries";

/** Everything an on-call operator must act on, in one list: failing authorizers and deliveries, expiring requests, fail-open. */
export function NeedsAttentionPanel() {
  const { data } = useSuspenseQuery({ ...consoleQueries.attention(), refetchInterval: 15_000 });
  const count =
    data.authorizers.length + data.deliveries.length + data.expiring.length + (data.failOpen.failOpen ? 1 : 0);
  return (
    <Card
      title="Needs attention"
      description="Failing authorizers and webhook deliveries, requests about to expire, fail-open"
      actions={<Badge tone={count > 0 ? "red" : "green"}>{count}</Badge>}
    >
      {count === 0 ? (
        <EmptyState title="All clear">
          Authorizers answer, deliveries get through, nothing is about to expire and the tenant fails closed.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Needs attention">
          {data.failOpen.failOpen ? (
            <li className="py-2.5 text-sm">
              <Badge tone="amber">fail-open on</Badge>{" "}
              <Link href="/settings" className="text-slate-800 hover:underline">
                Requests are approved without review when no authorizer answers.
              </Link>
            </li>
          ) : null}
          {data.authorizers.map((a) => (
            <li key={a.name} className="py-2.5 text-sm">
              <Link href={`/authorizers/${encodeURIComponent(a.name)}`} className="block hover:underline">
                <span className="flex flex-wrap items-center gap-2">
                  <Badge tone={a.state === "failing" ? "red" : "amber"}>{a.state}</Badge>
                  <span className="font-medium text-slate-900">{a.name}</span>
                  {a.isDefault ? <Badge tone="blue">default</Badge> : null}
                </span>
                {a.lastFailureCause ? (
                  <span className="mt-0.5 block break-words text-xs text-red-700">
                    {a.lastFailureCause} · {formatDateTime(a.lastFailureAt)}
                  </span>
                ) : null}
              </Link>
            </li>
          ))}
          {data.deliveries.map((d) => (
            <li key={d.requestId} className="py-2.5 text-sm">
              <Link href={`/requests/${d.requestId}`} className="block hover:underline">
                <span className="flex items-center gap-2">
                  <Badge tone={d.status === "failed" ? "red" : "amber"}>
                    webhook {d.status === "failed" ? "failed" : "retrying"}
                  </Badge>
                  <span className="text-xs text-slate-500">
                    {d.attempts} attempts{d.lastStatusCode ? ` · HTTP ${d.lastStatusCode}` : ""}
                  </span>
                </span>
                <span className="mt-0.5 line-clamp-1 text-slate-800">{d.summary}</span>
              </Link>
            </li>
          ))}
          {data.expiring.map((r) => (
            <li key={r.requestId} className="py-2.5 text-sm">
              <Link href={`/requests/${r.requestId}`} className="block hover:underline">
                <span className="flex items-center gap-2">
                  <Badge tone="amber">expiring</Badge>
                  <TimeLeft expiresAt={r.expiresAt} />
                </span>
                <span className="mt-0.5 line-clamp-1 text-slate-800">{r.summary}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
