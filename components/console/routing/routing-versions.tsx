"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, EmptyState, ErrorNote, Notice } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RelativeTime } from "@/components/ui/time";
import { diffLines } from "@/lib/console/line-diff";
import { consoleFetch } from "../shell/api-client";
import { consoleQueries, type RoutingVersionRow } from "../shell/queries";

function savedByLabel(v: RoutingVersionRow): string {
  if (v.savedBy.kind === "user") return `${v.savedBy.name} <${v.savedBy.email}>`;
  return v.savedBy.kind === "api_key" ? `API key “${v.savedBy.name}”` : v.savedBy.label;
}

/** The lines that differ between an earlier version and the current script, in context. */
function VersionDiff({ from, to }: { from: string; to: string }) {
  const lines = diffLines(from, to);
  if (lines.every((l) => l.kind === "same"))
    return <p className="text-sm text-slate-500">Same as the current script.</p>;
  return (
    <pre
      className="max-h-72 overflow-auto rounded-lg bg-slate-50 py-2 text-xs leading-5 ring-1 ring-slate-200"
      aria-label="Differences from the current script"
      data-testid="routing-version-diff"
    >
      {lines.map((l, i) => (
        <div
          key={i}
          className={
            l.kind === "added"
              ? "bg-emerald-50 text-emerald-900"
              : l.kind === "removed"
                ? "bg-red-50 text-red-900"
                : "text-slate-600"
          }
        >
          <span aria-hidden className="inline-block w-6 select-none text-center">
            {l.kind === "added" ? "+" : l.kind === "removed" ? "−" : " "}
          </span>
          <span className="sr-only">
            {l.kind === "added" ? "current script adds: " : l.kind === "removed" ? "this version had: " : ""}
          </span>
          {l.text || " "}
        </div>
      ))}
    </pre>
  );
}

/** Every saved version with who and when; pick one to see how it differs from the current script, and restore it. */
export function RoutingVersions({
  current,
  canWrite,
  onRestored,
}: {
  current: string;
  canWrite: boolean;
  onRestored: (script: string) => void;
}) {
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(consoleQueries.routingVersions());
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const selected = data.data.find((v) => v.id === selectedId) ?? null;
  const restore = useMutation({
    mutationFn: (id: string) =>
      consoleFetch<{ routingScript: string | null }>(`/api/console/routing/versions/${id}/restore`, { method: "POST" }),
    onSuccess: async (result) => {
      onRestored(result.routingScript ?? "");
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: consoleQueries.settings().queryKey }),
        queryClient.invalidateQueries({ queryKey: consoleQueries.routingVersions().queryKey }),
      ]);
    },
  });
  const latestId = data.data[0]?.id;
  return (
    <Card
      title="Saved versions"
      description="Every save of the script, newest first. The trail is the audit log, so it cannot be edited."
    >
      {data.data.length === 0 ? (
        <EmptyState title="No saved versions yet">
          Each time the script is saved, the version, who saved it and when appear here.
        </EmptyState>
      ) : (
        <div className="space-y-4">
          <ol className="divide-y divide-slate-100" aria-label="Routing script versions">
            {data.data.map((v, index) => (
              <li key={v.id} className="flex flex-wrap items-center justify-between gap-2 py-2.5">
                <div className="min-w-0 text-sm">
                  <p className="flex flex-wrap items-center gap-2">
                    <span className="font-medium text-slate-900">Version {data.data.length - index}</span>
                    {v.id === latestId ? <Badge tone="green">current</Badge> : null}
                    {v.script === null ? <Badge>no script</Badge> : null}
                    {v.restoredFrom ? <Badge tone="blue">restored</Badge> : null}
                  </p>
                  <p className="text-xs text-slate-500">
                    <RelativeTime value={v.savedAt} /> by <span className="break-all">{savedByLabel(v)}</span>
                  </p>
                </div>
                <Button
                  type="button"
                  size="sm"
                  variant="secondary"
                  aria-pressed={v.id === selectedId}
                  aria-label={`Compare version ${data.data.length - index}`}
                  onClick={() => {
                    restore.reset();
                    setSelectedId(v.id === selectedId ? null : v.id);
                  }}
                >
                  {v.id === selectedId ? "Hide" : "Compare"}
                </Button>
              </li>
            ))}
          </ol>
          {selected ? (
            <div className="space-y-3">
              <VersionDiff from={selected.script ?? ""} to={current} />
              {canWrite && selected.id !== latestId ? (
                <Button type="button" onClick={() => setConfirming(true)} disabled={restore.isPending}>
                  {restore.isPending ? "Restoring…" : "Restore this version"}
                </Button>
              ) : null}
            </div>
          ) : null}
          {restore.error ? <ErrorNote>{restore.error.message}</ErrorNote> : null}
          {restore.isSuccess ? (
            <Notice tone="green">
              Restored. New requests are routed with this version; it is saved as the newest version.
            </Notice>
          ) : null}
        </div>
      )}
      {/* Mounted only while asking: every ConfirmDialog titles itself with the same element id. */}
      {confirming ? (
        <ConfirmDialog
          open
          title="Restore this version of the routing script?"
          confirmLabel="Restore version"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            if (selected) restore.mutate(selected.id);
          }}
        >
          <p>
            It replaces the current script for every new request at once
            {selected?.script === null ? ": with no script, every enabled authorizer is asked" : ""}. Requests already
            sent keep their routing. The current script stays in this list and can be restored again.
          </p>
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}
