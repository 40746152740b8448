"use client";

import { useSyncExternalStore } from "react";
import { formatAbsoluteTime, formatRelativeTime, formatTimeLeft } from "@/lib/console/time-format";

const TICK_MS = 15_000;
function subscribeToClock(onTick: () => void): () => void {
  const timer = setInterval(onTick, TICK_MS);
  return () => clearInterval(timer);
}
const clockSnapshot = () => Math.floor(Date.now() / TICK_MS) * TICK_MS;

/** The browser's clock, ticking every 15 s; null on the server, so hydration matches. */
export function useClock(): number | null {
  return useSyncExternalStore(subscribeToClock, clockSnapshot, () => null);
}

/**
 * An instant as the console shows it everywhere: relative ("3 minutes ago"), with the absolute
 * time and zone on hover (and in `dateTime`). The server renders the absolute time.
 */
export function RelativeTime({ value, className }: { value: string | null | undefined; className?: string }) {
  const now = useClock();
  if (!value) return <span className={className}>—</span>;
  const absolute = formatAbsoluteTime(value);
  return (
    <time dateTime={value} title={absolute} className={className}>
      {now === null ? absolute : formatRelativeTime(value, now)}
    </time>
  );
}

/** Time left before `expiresAt` ("12 min left"), amber under ten minutes; absolute on hover. */
export function ExpiresIn({ expiresAt, className = "" }: { expiresAt: string; className?: string }) {
  const now = useClock();
  const left = now === null ? Infinity : new Date(expiresAt).getTime() - now;
  return (
    <time
      dateTime={expiresAt}
      title={`Expires ${formatAbsoluteTime(expiresAt)}`}
      className={`${left < 10 * 60_000 ? "text-amber-700" : ""} ${className}`}
    >
      {now === null ? `expires ${formatAbsoluteTime(expiresAt)}` : formatTimeLeft(expiresAt, now)}
    </time>
  );
}
