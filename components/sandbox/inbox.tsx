"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { consoleQueries } from "@/components/console/shell/queries";
import { ErrorNote } from "@/components/ui/card";
import { controlClass } from "@/components/ui/field";
import { CompactRow } from "./compact-row";
import { inboxItemMatches } from "./inbox-filter";
import { RequestCard } from "./request-card";
import type { InboxItem, InboxView } from "./types";

function useInbox(view: InboxView) {
  return useQuery({
    ...consoleQueries.sandboxInbox(view),
    // The loader's jsonb columns (principal, action) hold the views this screen renders.
    select: (data) => data as { view: InboxView; requests: InboxItem[] },
    // New requests arrive from services at any time: keep the inbox fresh without a reload.
    refetchInterval: 5_000,
  });
}

/** The reviewer inbox: pending requests first, decided ones a tab away; searchable, as cards or a compact list. */
export function SandboxInbox({
  canDecide,
  currentUserId,
  currentUserEmail,
}: {
  canDecide: boolean;
  currentUserId: string;
  currentUserEmail: string;
}) {
  const [view, setView] = useState<InboxView>("pending");
  const [search, setSearch] = useState("");
  const [compact, setCompact] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const pending = useInbox("pending");
  const current = useInbox(view);
  const shown = (current.data?.requests ?? []).filter((item) => inboxItemMatches(item, search));
  const tabs: { id: InboxView; label: string }[] = [
    { id: "pending", label: `Pending${pending.data ? ` (${pending.data.requests.length})` : ""}` },
    { id: "decided", label: "Decided" },
  ];
  return (
    <div className="space-y-5">
      <p
        role="status"
        aria-live="polite"
        className={
          announcement
            ? "rounded-md bg-emerald-50 px-3 py-2 text-sm font-medium text-emerald-800 ring-1 ring-emerald-200"
            : "sr-only"
        }
      >
        {announcement}
      </p>
      <div role="tablist" aria-label="Inbox views" className="flex gap-1 border-b border-slate-200">
        {tabs.map((tab) => (
          <button
            key={tab.id}
            role="tab"
            type="button"
            aria-selected={view === tab.id}
            onClick={() => setView(tab.id)}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${view === tab.id ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1">
          <label htmlFor="inbox-search" className="block text-sm font-medium text-slate-700">
            Search requests
          </label>
          <input
            id="inbox-search"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Summary, request id, person, amount…"
            className={controlClass}
          />
        </div>
        <div role="group" aria-label="Layout" className="flex rounded-md ring-1 ring-slate-300">
          {(
            [
              [false, "Cards"],
              [true, "Compact"],
            ] as const
          ).map(([value, label]) => (
            <button
              key={label}
              type="button"
              aria-pressed={compact === value}
              onClick={() => setCompact(value)}
              className={`px-3 py-2 text-sm font-medium first:rounded-l-md last:rounded-r-md ${compact === value ? "bg-slate-800 text-slate-50" : "bg-white text-slate-700 hover:bg-slate-50"}`}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      <div
        role="tabpanel"
        aria-label={view === "pending" ? "Pending requests" : "Decided requests"}
        className="space-y-5"
      >
        {current.error ? <ErrorNote>The inbox could not be loaded: {current.error.message}</ErrorNote> : null}
        {current.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
        {current.data && current.data.requests.length === 0 ? (
          <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
            <p className="text-base font-medium text-slate-900">
              {view === "pending" ? "Nothing waits for review" : "No decisions yet"}
            </p>
            <p className="mt-1 text-sm text-slate-500">
              {view === "pending"
                ? "Run npm run demo to send the overview's four actions through the gateway."
                : "Approved, denied, expired and cancelled requests appear here."}
            </p>
          </div>
        ) : null}
        {current.data && current.data.requests.length > 0 && shown.length === 0 ? (
          <p className="text-sm text-slate-500">No request matches “{search}”.</p>
        ) : null}
        {compact ? (
          <ul
            aria-label="Requests, compact"
            className="divide-y divide-slate-100 rounded-xl bg-white shadow-sm ring-1 ring-slate-200"
          >
            {shown.map((item) => (
              <CompactRow
                key={item.id}
                item={item}
                canDecide={canDecide}
                currentUserId={currentUserId}
                currentUserEmail={currentUserEmail}
                onReviewed={setAnnouncement}
              />
            ))}
          </ul>
        ) : (
          shown.map((item) => (
            <RequestCard
              key={item.id}
              item={item}
              canDecide={canDecide}
              currentUserId={currentUserId}
              currentUserEmail={currentUserEmail}
              onReviewed={setAnnouncement}
            />
          ))
        )}
      </div>
    </div>
  );
}
