"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/card";
import { RequestCard } from "./request-card";
import { TimeLeft } from "./time-left";
import type { InboxItem } from "./types";

const statusTone = {
  pending: "amber",
  approved: "green",
  denied: "red",
  expired: "slate",
  cancelled: "slate",
} as const;

/** One request as a single line (status, action, summary, time left); opens into the full card to decide. */
export function CompactRow(props: {
  item: InboxItem;
  canDecide: boolean;
  currentUserId: string;
  currentUserEmail: string;
  onReviewed: (message: string) => void;
}) {
  const { item } = props;
  const [open, setOpen] = useState(false);
  return (
    <li>
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        className="flex w-full min-w-0 items-center gap-3 px-4 py-3 text-left hover:bg-slate-50"
      >
        <Badge tone={statusTone[item.status]}>{item.status}</Badge>
        <span className="hidden font-mono text-xs text-slate-500 sm:inline">{item.actionType}</span>
        <span className="min-w-0 flex-1 truncate text-sm font-medium text-slate-900">{item.summary}</span>
        {item.status === "pending" ? (
          <span className="hidden shrink-0 sm:inline">
            <TimeLeft expiresAt={item.expiresAt} />
          </span>
        ) : null}
      </button>
      {open ? (
        <div className="border-t border-slate-100 bg-slate-50 p-3">
          <RequestCard {...props} />
        </div>
      ) : null}
    </li>
  );
}
