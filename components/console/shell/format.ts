import { formatAbsoluteTime } from "@/lib/console/time-format";

/** Dates as the console writes them out in full: the one shared format (lib/console/time-format.ts). */
export function formatDateTime(value: string | null | undefined): string {
  return formatAbsoluteTime(value);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function formatPercent(part: number, whole: number): string {
  return whole === 0 ? "—" : `${Math.round((part / whole) * 1000) / 10}%`;
}

/** Duration between two instants, or null when either is missing. */
export function between(from: string | null | undefined, to: string | null | undefined): number | null {
  return from && to ? new Date(to).getTime() - new Date(from).getTime() : null;
}
