"use client";

import Link from "next/link";
import { useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Card, EmptyState } from "@/components/ui/card";
import { consoleQueries, type RequestPage } from "../shell/queries";
import { StatusBadge } from "./status-badge";
import { ExpiresIn, RelativeTime } from "@/components/ui/time";

const hasPending = (pages: RequestPage[] | undefined) =>
  Boolean(pages?.some((p) => p.data.some((r) => r.status === "pending")));

/** Newest first, keyset-paginated; refreshes every 3 s while a shown row is still pending. */
export function RequestTable({ filters }: { filters: Record<string, string> }) {
  const query = useSuspenseInfiniteQuery({
    ...consoleQueries.requests(filters),
    refetchInterval: (q) => (hasPending(q.state.data?.pages) ? 3_000 : false),
  });
  const rows = query.data.pages.flatMap((p) => p.data);
  const live = hasPending(query.data.pages);
  return (
    <Card
      title="Requests"
      description={live ? "Pending rows update live." : "Newest first."}
      actions={
        live ? (
          <span className="flex items-center gap-1.5 text-xs text-amber-700">
            <span className="size-2 animate-pulse rounded-full bg-amber-500" aria-hidden />
            Live
          </span>
        ) : null
      }
    >
      {rows.length === 0 ? (
        <EmptyState title="No requests match">
          Change or clear the filters; requests appear here as soon as a service submits them.
        </EmptyState>
      ) : (
        <div className="-mx-5 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-5 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Summary
                </th>
                <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
                  Action
                </th>
                <th scope="col" className="hidden px-3 py-2 font-medium lg:table-cell">
                  Principal
                </th>
                <th scope="col" className="hidden px-5 py-2 font-medium sm:table-cell">
                  Received
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.requestId} className="align-top hover:bg-slate-50">
                  <td className="px-5 py-3">
                    <StatusBadge status={r.status} />
                    {r.failOpen ? <span className="mt-1 block text-xs text-amber-700">fail-open</span> : null}
                    {r.status === "pending" ? (
                      <ExpiresIn
                        expiresAt={r.expiresAt}
                        className="mt-1 block whitespace-nowrap text-xs text-slate-600"
                      />
                    ) : null}
                  </td>
                  <td className="max-w-md px-3 py-3">
                    <Link
                      href={`/requests/${r.requestId}`}
                      className="line-clamp-2 font-medium text-slate-900 hover:text-brand-700 hover:underline"
                    >
                      {r.summary}
                    </Link>
                    <span className="mt-0.5 block font-mono text-xs text-slate-500">{r.externalId ?? r.requestId}</span>
                  </td>
                  <td className="hidden px-3 py-3 md:table-cell">
                    <span className="font-mono text-xs">{r.actionType}</span>
                    {r.actionCategory ? <span className="block text-xs text-slate-500">{r.actionCategory}</span> : null}
                  </td>
                  <td className="hidden px-3 py-3 capitalize text-slate-600 lg:table-cell">{r.principalType}</td>
                  <td className="hidden whitespace-nowrap px-5 py-3 text-xs text-slate-600 sm:table-cell">
                    <RelativeTime value={r.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage ? (
        <div className="mt-4 flex justify-center">
          <Button
            type="button"
            variant="secondary"
            onClick={() => query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
          >
            {query.isFetchingNextPage ? "Loading…" : "Load older requests"}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
