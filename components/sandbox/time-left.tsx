"use client";

import { useClock } from "@/components/ui/time";
import { formatAbsoluteTime, formatTimeLeft } from "@/lib/console/time-format";

/** Time left before a request expires; turns amber under ten minutes; the absolute time on hover. */
export function TimeLeft({ expiresAt }: { expiresAt: string }) {
  // The server renders no clock (so hydration matches); the browser ticks every 15 seconds.
  const now = useClock();
  const left = now === null ? Infinity : Date.parse(expiresAt) - now;
  const text = now === null ? "…" : formatTimeLeft(expiresAt, now);
  return (
    <time
      dateTime={expiresAt}
      title={`Expires ${formatAbsoluteTime(expiresAt)}`}
      className={`text-sm font-medium ${left < 10 * 60_000 ? "text-amber-700" : "text-slate-600"}`}
    >
      {text.charAt(0).toUpperCase() + text.slice(1)}
    </time>
  );
}
