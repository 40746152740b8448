/**
 * The console's one way of writing an instant: absolute in one fixed format with its time zone
 * (UTC, so the server's render and the browser's hydration agree), relative for reading at a glance.
 */
const absoluteFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
  timeZone: "UTC",
});
const clockFormat = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
  timeZone: "UTC",
});
const relativeFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "30 Nov 2026, 07:38:10 UTC", or "—" when there is no instant. */
export function formatAbsoluteTime(value: string | Date | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "—" : `${absoluteFormat.format(date)} UTC`;
}

/** "07:38:10 UTC": the time of day alone, for events close together. */
export function formatClockTime(value: string | Date): string {
  return `${clockFormat.format(new Date(value))} UTC`;
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
];

/** "3 minutes ago", "in 25 minutes", "now": the largest whole unit between `value` and `now`. */
export function formatRelativeTime(value: string | Date, now: number): string {
  const diff = new Date(value).getTime() - now;
  const abs = Math.abs(diff);
  if (abs < 10_000) return "just now";
  for (const [unit, ms] of units) {
    if (abs >= ms || unit === "second") return relativeFormat.format(Math.trunc(diff / ms), unit);
  }
  return relativeFormat.format(0, "second");
}

/** "in 12 min" / "expired 3 min ago" style time to an expiry, as a short phrase. */
export function formatTimeLeft(expiresAt: string | Date, now: number): string {
  const left = new Date(expiresAt).getTime() - now;
  if (left <= 0) return `expired ${formatRelativeTime(expiresAt, now)}`;
  const minutes = Math.floor(left / 60_000);
  if (minutes < 1) return "less than a minute left";
  if (minutes < 60) return `${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min left`;
  return `${Math.floor(hours / 24)} days left`;
}
