import { Badge } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import { formatClockTime } from "@/lib/console/time-format";
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
const badTypes = new Set([
  "submit_failed",
  "decision_refused",
  "webhook_failed",
  "expired",
  "execution_refused",
  "execution_window_closed",
  "result_report_failed",
]);

type Event = RequestDetail["events"][number];

// Field names of the event data as a reader would say them; others are spelled out from camelCase.
const fieldLabels: Record<string, string> = {
  call: "Call",
  attempt: "Attempt",
  outcome: "Outcome",
  status: "Status",
  errorCode: "Error code",
  latencyMs: "Latency",
  willRetry: "Retried",
  delayMs: "Next attempt in",
  externalId: "External ID",
  actionType: "Action type",
  principalType: "Principal type",
  expiresAt: "Expires",
  targets: "Targets",
  fallback: "Fallback",
  reason: "Reason",
  message: "Message",
  decision: "Decision",
  keyId: "Signing key",
  source: "Source",
  reviewers: "Reviewers",
  channel: "Channel",
  answer: "Answer",
};
const durationFields = new Set(["latencyMs", "delayMs"]);
const timeFields = new Set(["expiresAt", "at", "nextAttemptAt"]);

function labelOf(key: string): string {
  return (
    fieldLabels[key] ??
    key
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .replace(/_/g, " ")
      .replace(/^./, (c) => c.toUpperCase())
  );
}

function valueOf(key: string, value: unknown): React.ReactNode {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number" && durationFields.has(key)) return formatDuration(value);
  if (key === "status" && typeof value === "number") return `HTTP ${value}`;
  if (typeof value === "string" && timeFields.has(key)) return <RelativeTime value={value} />;
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(String).join(", ");
  return String(value);
}

/** An event's data as labelled fields (nested objects and empty values left out). */
function EventFields({ data }: { data: Record<string, unknown> }) {
  const fields = Object.entries(data).filter(
    ([, v]) => v !== null && v !== undefined && v !== "" && (typeof v !== "object" || Array.isArray(v)),
  );
  if (fields.length === 0) return null;
  return (
    <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs" data-testid="event-fields">
      {fields.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="text-slate-500">{labelOf(key)}</dt>
          <dd className="min-w-0 break-words text-slate-800">{valueOf(key, value)}</dd>
        </div>
      ))}
    </dl>
  );
}

const isPoll = (e: Event) => e.type === "authorizer_attempt" && (e.data as { call?: string } | null)?.call === "poll";

/** A timeline row: one event, or a run of background polls of one authorizer told as one line. */
type Row = { kind: "event"; event: Event } | { kind: "polls"; events: Event[]; decidedNext: boolean };

/** Folds consecutive polls of the same authorizer into one row, so a slow decision is not a wall of rows. */
export function summarisePolls(events: Event[]): Row[] {
  const rows: Row[] = [];
  for (const [index, event] of events.entries()) {
    const last = rows.at(-1);
    if (isPoll(event) && last?.kind === "polls" && last.events[0]!.authorizer === event.authorizer)
      last.events.push(event);
    else if (isPoll(event)) rows.push({ kind: "polls", events: [event], decidedNext: false });
    else rows.push({ kind: "event", event });
    const row = rows.at(-1)!;
    if (row.kind === "polls") row.decidedNext = events[index + 1]?.type === "decision_accepted";
  }
  return rows.map((row) =>
    row.kind === "polls" && row.events.length === 1 ? { kind: "event", event: row.events[0]! } : row,
  );
}

function pollResult(last: Event, decidedNext: boolean): string {
  const d = (last.data ?? {}) as { status?: number; outcome?: string };
  if (decidedNext) return "decided";
  if (d.status !== undefined) return d.status < 300 ? "pending" : `HTTP ${d.status}`;
  return d.outcome?.replaceAll("_", " ") ?? "no answer";
}

function Dot({ bad }: { bad: boolean }) {
  return (
    <span
      className={`absolute -left-[1.6rem] top-1 size-3 rounded-full ring-4 ring-white ${bad ? "bg-red-500" : "bg-brand-500"}`}
      aria-hidden
    />
  );
}

/** Every event of the request, oldest first, as an ordered list; background polls summarised. */
export function RequestTimeline({ events }: { events: Event[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-500">No events recorded.</p>;
  return (
    <ol className="relative space-y-4 border-l border-slate-200 pl-5" aria-label="Event timeline">
      {summarisePolls(events).map((row) => {
        if (row.kind === "polls") {
          const first = row.events[0]!;
          const last = row.events.at(-1)!;
          return (
            <li key={first.id} className="relative" data-testid="poll-summary">
              <Dot bad={false} />
              <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
                <span>
                  Polled {row.events.length} times, last{" "}
                  <time dateTime={last.at} title={formatDateTime(last.at)}>
                    {formatClockTime(last.at)}
                  </time>
                  , {pollResult(last, row.decidedNext)}
                </span>
                {first.authorizer ? <Badge>{first.authorizer}</Badge> : null}
              </p>
              <p className="text-xs text-slate-500">
                Background polls from <RelativeTime value={first.at} /> to <RelativeTime value={last.at} />
              </p>
            </li>
          );
        }
        const e = row.event;
        return (
          <li key={e.id} className="relative">
            <Dot bad={badTypes.has(e.type)} />
            <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
              {eventLabels[e.type] ?? e.type}
              {e.authorizer ? <Badge>{e.authorizer}</Badge> : null}
            </p>
            <p className="text-xs text-slate-500">
              <RelativeTime value={e.at} />
            </p>
            <EventFields data={(e.data ?? {}) as Record<string, unknown>} />
          </li>
        );
      })}
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
          <tr>
            {["Authorizer", "Call", "Attempt", "Result", "Latency"].map((h) => (
              <th key={h} scope="col" className="px-5 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {attempts.map((e) => {
            const d = (e.data ?? {}) as {
              call?: string;
              attempt?: number;
              outcome?: string;
              status?: number;
              errorCode?: string;
              latencyMs?: number;
              willRetry?: boolean;
            };
            const ok = d.status !== undefined && d.status < 300;
            return (
              <tr key={e.id}>
                <td className="px-5 py-2">{e.authorizer ?? "—"}</td>
                <td className="px-5 py-2 font-mono text-xs">{d.call}</td>
                <td className="px-5 py-2 tabular-nums">{d.attempt}</td>
                <td className="px-5 py-2">
                  <Badge tone={ok ? "green" : "red"}>{d.status ? `HTTP ${d.status}` : d.outcome}</Badge>
                  {d.errorCode ? <span className="ml-2 font-mono text-xs text-red-700">{d.errorCode}</span> : null}
                  {d.willRetry ? <span className="ml-2 text-xs text-slate-500">retried</span> : null}
                </td>
                <td className="px-5 py-2 tabular-nums">{formatDuration(d.latencyMs)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
