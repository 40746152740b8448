import { Badge, type Tone } from "@/components/ui/card";

export const statusTones: Record<string, Tone> = {
  pending: "amber",
  approved: "green",
  denied: "red",
  expired: "slate",
  cancelled: "slate",
  succeeded: "green",
  failed: "red",
  executing: "blue",
  delivered: "green",
  awaiting_claim: "amber",
  not_applicable: "slate",
};

/** Chart and legend colours per request status (Tailwind classes). */
export const statusColors: Record<string, string> = {
  approved: "bg-emerald-500",
  denied: "bg-red-500",
  pending: "bg-amber-400",
  expired: "bg-slate-400",
  cancelled: "bg-slate-300",
};

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTones[status] ?? "slate"}>{status.replaceAll("_", " ")}</Badge>;
}
