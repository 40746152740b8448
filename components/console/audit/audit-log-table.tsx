"use client";

import { useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Badge, Card, EmptyState } from "@/components/ui/card";
import { formatDateTime } from "../shell/format";
import { consoleQueries, type AuditLogRow } from "../shell/queries";
import { ScriptDiff } from "./script-diff";

const show = (value: unknown) =>
  value === null || value === undefined ? "—" : typeof value === "object" ? JSON.stringify(value) : String(value);

function Actor({ actor }: { actor: AuditLogRow["actor"] }) {
  if (actor.type === "system")
    return <span className="text-slate-600">System ({actor.label.replace(/^system:/, "")})</span>;
  return (
    <span className="block min-w-0">
      <span className="font-medium text-slate-900">{actor.name ?? "Unknown"}</span>
      {actor.type === "api_key" ? <span className="ml-1 text-xs text-slate-500">(API key)</span> : null}
      {actor.email ? <span className="block break-all text-xs text-slate-500">{actor.email}</span> : null}
      {actor.type === "user" && !actor.stillMember ? (
        <span className="mt-1 inline-block">
          <Badge tone="amber">no longer a member</Badge>
        </span>
      ) : null}
    </span>
  );
}

/** What changed: the routing script as a diff, other settings as before → after, anything else as its data. */
function Changes({ row }: { row: AuditLogRow }) {
  const data = row.data ?? {};
  const previous = (data.previous ?? null) as Record<string, unknown> | null;
  if (row.action === "settings.updated" && previous) {
    return (
      <ul className="space-y-1">
        {Object.keys(previous).map((key) => (
          <li key={key}>
            <span className="font-mono text-xs text-slate-700">{key}</span>
            {key === "routingScript" ? (
              <ScriptDiff before={previous[key] as string | null} after={data[key] as string | null} />
            ) : (
              <span className="ml-2 break-all text-xs text-slate-600">
                {show(previous[key])} → {show(data[key])}
              </span>
            )}
          </li>
        ))}
      </ul>
    );
  }
  const entries = Object.entries(data);
  if (entries.length === 0) return <span className="text-xs text-slate-500">—</span>;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="font-mono text-slate-500">{key}</dt>
          <dd className="break-all text-slate-700">{show(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Newest first, keyset-paginated with the API's nextCursor. */
export function AuditLogTable({ filters }: { filters: Record<string, string> }) {
  const query = useSuspenseInfiniteQuery(consoleQueries.auditLog(filters));
  const rows = query.data.pages.flatMap((p) => p.data);
  return (
    <Card
      title="Configuration changes"
      description="Newest first. Every change to authorizers, routing, settings, keys, API keys, members and the webhook."
    >
      {rows.length === 0 ? (
        <EmptyState title="No changes match">Change or clear the filters.</EmptyState>
      ) : (
        <ol className="divide-y divide-slate-100" aria-label="Audit events">
          {rows.map((row) => (
            <li key={row.id} className="grid gap-2 py-3 md:grid-cols-[12rem_14rem_1fr]">
              <div className="text-xs text-slate-600">
                <time dateTime={row.createdAt}>{formatDateTime(row.createdAt)}</time>
              </div>
              <Actor actor={row.actor} />
              <div className="min-w-0">
                <p className="text-sm">
                  <code className="font-medium text-slate-900">{row.action}</code>
                  {row.target ? <span className="ml-2 break-all text-slate-600">{row.target}</span> : null}
                </p>
                <div className="mt-1">
                  <Changes row={row} />
                </div>
              </div>
            </li>
          ))}
        </ol>
      )}
      {query.hasNextPage ? (
        <div className="mt-4 flex justify-center">
          <Button
            type="button"
            variant="secondary"
            onClick={() => query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
          >
            {query.isFetchingNextPage ? "Loading…" : "Load older changes"}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
