"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { consoleFetch } from "@/components/console/shell/api-client";
import { ErrorNote } from "@/components/ui/card";
import { RequestCard } from "./request-card";
import { inboxQueryKey, type InboxItem, type InboxView } from "./types";

function useInbox(view: InboxView) {
  return useQuery({
    queryKey: inboxQueryKey(view),
    queryFn: () => consoleFetch<{ requests: InboxItem[] }>(`/api/console/sandbox/requests?view=${view}`),
    // New requests arrive from services at any time: keep the inbox fresh without a reload.
    refetchInterval: 5_000,
  });
}

/** The reviewer inbox: pending requests first, decided ones a tab away. */
export function SandboxInbox({ canDecide, currentUserId }: { canDecide: boolean; currentUserId: string }) {
  const [view, setView] = useState<InboxView>("pending");
  const [announcement, setAnnouncement] = useState("");
  const pending = useInbox("pending");
  const current = useInbox(view);
  const tabs: { id: InboxView; label: string }[] = [
    { id: "pending", label: `Pending${pending.data ? ` (${pending.data.requests.length})` : ""}` },
    { id: "decided", label: "Decided" },
  ];
  return (
    <div className="space-y-5">
      <p role="status" aria-live="polite" className={announcement ? "rounded-md bg-emerald-50 px-3 py-2 text-sm font-medium text-emerald-800 ring-1 ring-emerald-200" : "sr-only"}>{announcement}</p>
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
      <div role="tabpanel" aria-label={view === "pending" ? "Pending requests" : "Decided requests"} className="space-y-5">
        {current.error ? <ErrorNote>The inbox could not be loaded: {current.error.message}</ErrorNote> : null}
        {current.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
        {current.data && current.data.requests.length === 0 ? (
          <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
            <p className="text-base font-medium text-slate-900">{view === "pending" ? "Nothing waits for review" : "No decisions yet"}</p>
            <p className="mt-1 text-sm text-slate-500">{view === "pending" ? "Run npm run demo to send the overview's four actions through the gateway." : "Approved, denied, expired and cancelled requests appear here."}</p>
          </div>
        ) : null}
        {current.data?.requests.map((item) => <RequestCard key={item.id} item={item} canDecide={canDecide} currentUserId={currentUserId} onReviewed={setAnnouncement} />)}
      </div>
    </div>
  );
}
