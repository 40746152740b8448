"use client";

import { useSyncExternalStore } from "react";
import { Notice } from "@/components/ui/card";
import { formatDateTime } from "../shell/format";
import { RelativeTime } from "@/components/ui/time";

function remaining(ms: number): string {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}

// A clock that ticks every 30 s; null on the server, so its time never disagrees with the browser's.
const TICK_MS = 30_000;
const subscribeToClock = (onTick: () => void) => {
  const timer = setInterval(onTick, TICK_MS);
  return () => clearInterval(timer);
};
const clockSnapshot = () => Math.floor(Date.now() / TICK_MS) * TICK_MS;

/** While a rotated webhook secret's grace period runs: the old secret still signs, and for how long. */
export function SecretGraceCountdown({ endsAt }: { endsAt: string }) {
  const now = useSyncExternalStore(subscribeToClock, clockSnapshot, () => null);
  const left = now === null ? null : Date.parse(endsAt) - now;
  if (left !== null && left <= 0)
    return (
      <Notice tone="green" title="Grace period over">
        Deliveries are signed with the new secret only.
      </Notice>
    );
  return (
    <Notice
      tone="blue"
      title={left === null ? "Old secret still signs" : `Old secret still signs for ${remaining(left)}`}
    >
      Each delivery carries two signatures (new and old secret) until <RelativeTime value={endsAt} /> (
      {formatDateTime(endsAt)}), so a receiver that has not switched yet keeps verifying. Switch your service to the new
      secret before then.
    </Notice>
  );
}
