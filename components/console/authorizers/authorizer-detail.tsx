"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { Badge, Card } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-button";
import { consoleQueries } from "../shell/queries";
import { HealthBadge, HealthDetails } from "./authorizer-health";
import { AuthorizerSettingsForm } from "./authorizer-settings-form";
import { PublicKeysEditor } from "./public-keys-editor";
import { TestRequestPanel } from "./test-request-panel";
import { RelativeTime } from "@/components/ui/time";

/** Refused callbacks (unsigned, forged or malformed posts to the callback URL) in the last hour. */
function CallbackHealth({
  health,
}: {
  health: { refusedLastHour: number; lastCause: string | null; lastRefusedAt: string | null };
}) {
  if (health.refusedLastHour === 0)
    return <p className="mt-3 text-sm text-slate-500">No refused callbacks in the last hour.</p>;
  return (
    <p className="mt-3 text-sm text-amber-700" role="status">
      {health.refusedLastHour} refused callback{health.refusedLastHour === 1 ? "" : "s"} in the last hour; last cause:{" "}
      <code>{health.lastCause}</code>
      {health.lastRefusedAt ? (
        <>
          , <RelativeTime value={health.lastRefusedAt} />
        </>
      ) : (
        ""
      )}
      .
    </p>
  );
}

/** One authorizer: its callback URL to register, its connection, its public keys and a test button. */
export function AuthorizerDetail({ name, canWrite }: { name: string; canWrite: boolean }) {
  const { data: list } = useSuspenseQuery(consoleQueries.authorizers());
  const authorizer = list.data.find((a) => a.name === name);
  if (!authorizer)
    return (
      <Card title="Not found">
        <p className="text-sm text-slate-500">This authorizer no longer exists.</p>
      </Card>
    );
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">{authorizer.name}</h1>
        {authorizer.isDefault ? <Badge tone="blue">default</Badge> : null}
        {authorizer.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}
        {authorizer.pollOnly ? <Badge tone="violet">poll-only</Badge> : null}
        <HealthBadge state={authorizer.health.state} />
        {authorizer.resultReportsUnsupportedAt ? <Badge tone="amber">no result reports</Badge> : null}
      </div>
      {authorizer.resultReportsUnsupportedAt ? (
        <p className="text-sm text-slate-600">
          This authorizer answered a result report as not implemented, so execution results are no longer sent to it.
          Changing its endpoint asks again.
        </p>
      ) : null}
      <Card
        title="Health"
        description="From the gateway's calls to it and the callbacks it sent, over the last hour and day."
      >
        <HealthDetails health={authorizer.health} />
      </Card>
      <Card title="Callback URL" description="Register this URL with the authorizer: it posts signed decisions here.">
        <CopyField label="Copy callback URL" value={authorizer.callbackUrl} />
        <CallbackHealth health={authorizer.callbackHealth} />
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <AuthorizerSettingsForm authorizer={authorizer} canWrite={canWrite} />
        <PublicKeysEditor authorizer={authorizer} canWrite={canWrite} />
      </div>
      {canWrite ? <TestRequestPanel name={authorizer.name} provenKeyIds={authorizer.provenKeyIds} /> : null}
    </div>
  );
}
