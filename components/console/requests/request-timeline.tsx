import { Badge } from "@/components/ui/card";
import { formatDateTime, formatDuration } from "../shell/format";
import type { RequestDetail } from "../shell/queries";

const eventLabels: Record<string, string> = {
  received: "Request received",
  routing_evaluated: "Routing evaluated",
  authorizer_attempt: "Authorizer attempt",
  submitted: "Submitted to authorizer",
  submit_failed: "Submission failed",
  submit_deferred: "Submission deferred (authorizer busy)",
  submit_discarded: "Submission run superseded",
  decision_accepted: "Decision accepted",
  decision_refused: "Decision refused",
  decision_duplicate: "Duplicate decision",
  decided_without_authorizer: "Decided without an authorizer",
  fail_open_executed: "Approved by fail-open",
  cancel_requested: "Cancellation requested",
  cancelled: "Cancelled",
  cancel_sent: "Cancel sent to authorizer",
  expired: "Expired",
  execution_claimed: "Execution claimed",
  execution_reported: "Execution reported",
  execution_refused: "Execution claim refused",
  execution_window_closed: "Execution window closed",
  result_reported: "Result reported to authorizer",
  result_report_failed: "Result report failed",
  result_reports_unsupported: "Authorizer does not take result reports",
  result_report_skipped: "Result report skipped",
  webhook_delivery: "Webhook delivery",
  webhook_delivered: "Webhook delivered",
  webhook_failed: "Webhook delivery failed",
};
const badTypes = new Set(["submit_failed", "decision_refused", "webhook_failed", "expired", "execution_refused", "execution_window_closed", "result_report_failed"]);

type Event = RequestDetail["events"][number];

function describe(e: Event): string {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const parts = Object.entries(d).filter(([, v]) => v !== null && v !== undefined && typeof v !== "object").map(([k, v]) => `${k}: ${String(v)}`);
  return parts.join(" · ");
}

/** Every event of the request, oldest first, as an ordered list. */
export function RequestTimeline({ events }: { events: Event[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-500">No events recorded.</p>;
  return (
    <ol className="relative space-y-4 border-l border-slate-200 pl-5" aria-label="Event timeline">
      {events.map((e) => (
        <li key={e.id} className="relative">
          <span className={`absolute -left-[1.6rem] top-1 size-3 rounded-full ring-4 ring-white ${badTypes.has(e.type) ? "bg-red-500" : "bg-brand-500"}`} aria-hidden />
          <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
            {eventLabels[e.type] ?? e.type}
            {e.authorizer ? <Badge>{e.authorizer}</Badge> : null}
          </p>
          <p className="text-xs text-slate-500">{formatDateTime(e.at)}</p>
          {describe(e) ? <p className="mt-0.5 break-words font-mono text-xs text-slate-600">{describe(e)}</p> : null}
        </li>
      ))}
    </ol>
  );
}

/** The authorizer attempts (submit, poll, cancel) with HTTP status and latency. */
export function AttemptsTable({ events }: { events: Event[] }) {
  const attempts = events.filter((e) => e.type === "authorizer_attempt");
  if (attempts.length === 0) return <p className="text-sm text-slate-500">No authorizer was called.</p>;
  return (
    <div className="-mx-5 overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
          <tr>{["Authorizer", "Call", "Attempt", "Result", "Latency"].map((h) => <th key={h} scope="col" className="px-5 py-2 font-medium">{h}</th>)}</tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {attempts.map((e) => {
            const d = (e.data ?? {}) as { call?: string; attempt?: number; outcome?: string; status?: number; errorCode?: string; latencyMs?: number; willRetry?: boolean };
            const ok = d.status !== undefined && d.status < 300;
            return (
              <tr key={e.id}>
                <td className="px-5 py-2">{e.authorizer ?? "—"}</td>
                <td className="px-5 py-2 font-mono text-xs">{d.call}</td>
                <td className="px-5 py-2 tabular-nums">{d.attempt}</td>
                <td className="px-5 py-2"><Badge tone={ok ? "green" : "red"}>{d.status ? `HTTP ${d.status}` : d.outcome}</Badge>{d.errorCode ? <span className="ml-2 font-mono text-xs text-red-700">{d.errorCode}</span> : null}{d.willRetry ? <span className="ml-2 text-xs text-slate-500">retried</span> : null}</td>
                <td className="px-5 py-2 tabular-nums">{formatDuration(d.latencyMs)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
