"use client";

import { useSyncExternalStore } from "react";

function describe(ms: number): string {
  if (ms <= 0) return "Expired";
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "Less than a minute left";
  if (minutes < 60) return `${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min left`;
  return `${Math.floor(hours / 24)} days left`;
}

const TICK_MS = 15_000;
function subscribeToClock(onTick: () => void): () => void {
  const timer = setInterval(onTick, TICK_MS);
  return () => clearInterval(timer);
}
const clockSnapshot = () => Math.floor(Date.now() / TICK_MS) * TICK_MS;

/** Time left before a request expires; turns amber under ten minutes and re-renders each 15 s. */
export function TimeLeft({ expiresAt }: { expiresAt: string }) {
  // The server renders no clock (so hydration matches); the browser ticks every 15 seconds.
  const now = useSyncExternalStore(subscribeToClock, clockSnapshot, () => null);
  const left = Date.parse(expiresAt) - (now ?? Date.parse(expiresAt) - 1);
  const urgent = now !== null && left < 10 * 60_000;
  return (
    <time dateTime={expiresAt} title={`Expires ${new Date(expiresAt).toUTCString()}`} className={`text-sm font-medium ${urgent ? "text-amber-700" : "text-slate-600"}`}>
      {now === null ? "…" : describe(left)}
    </time>
  );
}
