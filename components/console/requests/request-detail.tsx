"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { Badge, Card, Notice } from "@/components/ui/card";
import { ExpiresIn, RelativeTime, useClock } from "@/components/ui/time";
import { between, formatDateTime, formatDuration } from "../shell/format";
import { consoleQueries, type RequestDetail as Detail } from "../shell/queries";
import { EntryList, PrincipalChain, reviewerLabel } from "./entry-list";
import { AttemptsTable, RequestTimeline } from "./request-timeline";
import { StatusBadge } from "./status-badge";

type EntryData = Parameters<typeof EntryList>[0]["entries"];
const stillMoving = (r: Detail) =>
  r.status === "pending" || r.execution.state === "executing" || r.delivery?.status === "pending";

function Facts({ items }: { items: [string, React.ReactNode][] }) {
  return (
    <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
          <dd className="mt-0.5 break-words text-slate-900">{value ?? "—"}</dd>
        </div>
      ))}
    </dl>
  );
}

/** When claims of an approval's execution stop: "closes at …" while open, "closed at …" after. */
function ExecutionWindow({ closesAt, claimed }: { closesAt: string | null; claimed: boolean }) {
  const now = useClock();
  if (!closesAt) return <>—</>;
  const closed = now !== null && Date.parse(closesAt) <= now;
  return (
    <span className={closed && !claimed ? "text-red-700" : undefined}>
      {closed ? "closed" : "closes"} at {formatDateTime(closesAt)}
      {closed && !claimed ? " · nothing may execute" : ""}
    </span>
  );
}

/** One request, everything the gateway knows about it; refreshes while anything is still in flight. */
export function RequestDetail({ requestId }: { requestId: string }) {
  const { data: r } = useSuspenseQuery({
    ...consoleQueries.request(requestId),
    refetchInterval: (q) => (q.state.data && stillMoving(q.state.data) ? 2_000 : false),
  });
  const action = r.action as { type: string; category?: string; summary: string; details?: EntryData };
  const decision = r.decision;
  const reviewers = (decision?.reviewers ?? []) as { type: string; attributes: EntryData }[];
  return (
    <div className="space-y-6">
      <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-label="Summary">
        <div className="flex flex-wrap items-center gap-2">
          <StatusBadge status={r.status} />
          {r.failOpen ? <Badge tone="amber">fail-open</Badge> : null}
          <span className="font-mono text-xs text-slate-500">{r.requestId}</span>
        </div>
        <p className="mt-3 text-lg font-medium leading-relaxed text-slate-900">{r.summary}</p>
        <div className="mt-4">
          <Facts
            items={[
              [
                "Action",
                <span key="a" className="font-mono text-xs">
                  {r.actionType}
                  {r.actionCategory ? ` · ${r.actionCategory}` : ""}
                </span>,
              ],
              ["External ID", r.externalId],
              ["Received", <RelativeTime key="rc" value={r.createdAt} />],
              [
                "Expires",
                r.status === "pending" ? (
                  <ExpiresIn key="ex" expiresAt={r.expiresAt} />
                ) : (
                  <RelativeTime key="ex" value={r.expiresAt} />
                ),
              ],
            ]}
          />
        </div>
      </section>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Decision">
          {decision ? (
            <Facts
              items={[
                ["Decision", <StatusBadge key="d" status={decision.decision ?? r.status} />],
                [
                  "Decided",
                  <span key="dc">
                    <RelativeTime value={decision.decidedAt} /> (
                    {formatDuration(between(r.createdAt, decision.decidedAt))} after receipt)
                  </span>,
                ],
                ["Authorizer", decision.authorizer],
                ["Source", decision.source],
                [
                  "Signed with key",
                  decision.keyId ? (
                    <span key="k" className="font-mono text-xs">
                      {decision.keyId}
                    </span>
                  ) : decision.signed ? null : (
                    "unsigned (no authorizer decided)"
                  ),
                ],
                ["Reason", decision.reason],
                [
                  "Reviewers",
                  reviewers.length > 0 ? (
                    <ul key="rv">
                      {reviewers.map((rv, i) => (
                        <li key={i}>
                          {reviewerLabel(rv)} <span className="text-xs text-slate-500">({rv.type})</span>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    "—"
                  ),
                ],
              ]}
            />
          ) : (
            <p className="text-sm text-slate-500">Not decided yet. This page updates by itself.</p>
          )}
        </Card>
        <Card title="Execution">
          <Facts
            items={[
              ["State", <StatusBadge key="s" status={r.execution.state} />],
              ["Channel", "channel" in r.execution ? r.execution.channel : null],
              ["Claimed", "claimedAt" in r.execution ? <RelativeTime key="cl" value={r.execution.claimedAt} /> : null],
              [
                "Finished",
                "finishedAt" in r.execution ? <RelativeTime key="fi" value={r.execution.finishedAt} /> : null,
              ],
              ["Error", "error" in r.execution ? r.execution.error : null],
              [
                "Execution window",
                <ExecutionWindow key="w" closesAt={r.execution.windowClosesAt} claimed={"claimedAt" in r.execution} />,
              ],
              [
                "Result to authorizer",
                "resultReportedAt" in r.execution && r.execution.resultReportedAt ? (
                  <span key="rr">
                    {r.execution.resultReportedVia === "unsupported"
                      ? "not sent (the authorizer does not take result reports)"
                      : `by ${r.execution.resultReportedVia?.replace("_", " ")}`}{" "}
                    · <RelativeTime value={r.execution.resultReportedAt} />
                  </span>
                ) : null,
              ],
              [
                "Webhook delivery",
                r.delivery
                  ? `${r.delivery.status} after ${r.delivery.attempts} attempt${r.delivery.attempts === 1 ? "" : "s"}${r.delivery.lastStatusCode ? ` (HTTP ${r.delivery.lastStatusCode})` : ""}`
                  : "none",
              ],
            ]}
          />
          {r.delivery?.lastError ? (
            <div className="mt-3">
              <Notice tone="red">{r.delivery.lastError}</Notice>
            </div>
          ) : null}
        </Card>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Principal chain">
          <PrincipalChain principal={r.principal as Parameters<typeof PrincipalChain>[0]["principal"]} />
        </Card>
        <Card title="Details">
          <EntryList entries={action.details ?? []} />
        </Card>
      </div>
      <Card
        title="Routing"
        description={
          r.routing.fallbackReason
            ? "The script could not route this request; the default authorizer took it."
            : "Where the routing script sent this request."
        }
      >
        <div className="space-y-3 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <span className="text-slate-500">Targets:</span>
            {r.routing.targets.length > 0
              ? r.routing.targets.map((t) => (
                  <Badge key={t} tone="blue">
                    {t}
                  </Badge>
                ))
              : "none"}
          </p>
          {r.routing.fallbackReason ? (
            <Notice tone="amber" title={`Fallback: ${r.routing.fallbackReason.replaceAll("_", " ")}`}>
              {r.routing.error ?? "The default authorizer was used."}
            </Notice>
          ) : null}
          {r.authorizers.length > 0 ? (
            <ul className="divide-y divide-slate-100">
              {r.authorizers.map((a) => (
                <li key={a.name} className="flex flex-wrap items-center gap-2 py-2">
                  <span className="font-medium">{a.name}</span>
                  <span className="font-mono text-xs text-slate-500">{a.spId}</span>
                  <StatusBadge status={a.state} />
                  {a.lastError ? <span className="text-xs text-red-700">{a.lastError}</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </Card>
      <Card title="Attempts">
        <AttemptsTable events={r.events} />
      </Card>
      <Card title="Timeline">
        <RequestTimeline events={r.events} />
      </Card>
    </div>
  );
}
