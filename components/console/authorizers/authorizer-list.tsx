"use client";

import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, EmptyState, ErrorNote } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { consoleQueries, type AuthorizerRow } from "../shell/queries";
import { HealthBadge, HealthLine } from "./authorizer-health";
import { useAuthorizerMutations } from "./use-authorizer-mutations";

/** Every authorizer with its state; admins can make one the default, disable, enable or delete it. */
export function AuthorizerList({ canWrite }: { canWrite: boolean }) {
  const { data } = useSuspenseQuery(consoleQueries.authorizers());
  const { update, remove } = useAuthorizerMutations();
  const [deleting, setDeleting] = useState<AuthorizerRow | null>(null);
  const [disabling, setDisabling] = useState<AuthorizerRow | null>(null);
  const [promoting, setPromoting] = useState<AuthorizerRow | null>(null);
  const currentDefault = data.data.find((a) => a.isDefault);
  const error = update.error ?? remove.error;
  return (
    <Card title="Authorizers" description="Where requests are sent for review. Routing falls back to the default one.">
      {error ? (
        <div className="mb-3">
          <ErrorNote>{error.message}</ErrorNote>
        </div>
      ) : null}
      {data.data.length === 0 ? (
        <EmptyState title="No authorizers yet">
          {canWrite
            ? "Add the StepAuth authorizer your reviewers use; the first one becomes the default."
            : "An admin has not added any authorizer yet."}
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Authorizers">
          {data.data.map((a) => (
            <li
              key={a.id}
              className="flex flex-wrap items-center justify-between gap-3 py-3"
              data-testid={`authorizer-${a.name}`}
            >
              <div className="min-w-0">
                <p className="flex flex-wrap items-center gap-2">
                  <Link
                    href={`/authorizers/${encodeURIComponent(a.name)}`}
                    className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
                  >
                    {a.name}
                  </Link>
                  {a.isDefault ? <Badge tone="blue">default</Badge> : null}
                  {a.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}
                  {a.pollOnly ? <Badge tone="violet">poll-only</Badge> : null}
                  <HealthBadge state={a.health.state} />
                </p>
                <HealthLine health={a.health} />
                <p className="mt-0.5 truncate font-mono text-xs text-slate-500">{a.endpoint}</p>
                <p className="text-xs text-slate-500">
                  {a.publicKeys.length} public key{a.publicKeys.length === 1 ? "" : "s"} · SP id{" "}
                  <span className="font-mono">{a.spId}</span>
                  {a.signingKeyId ? (
                    <>
                      {" "}
                      · knows <span className="font-mono">{a.signingKeyId}</span>
                    </>
                  ) : null}
                </p>
              </div>
              <div className="flex flex-wrap gap-2">
                <Link
                  href={`/authorizers/${encodeURIComponent(a.name)}`}
                  className="inline-flex items-center rounded-md px-2.5 py-1.5 text-xs font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
                >
                  {canWrite ? "Edit" : "View"}
                  <span className="sr-only"> {a.name}</span>
                </Link>
                {canWrite && !a.isDefault ? (
                  <>
                    <Button
                      type="button"
                      size="sm"
                      variant="secondary"
                      disabled={!a.enabled || update.isPending}
                      onClick={() => setPromoting(a)}
                      aria-label={`Make ${a.name} the default`}
                    >
                      Make default
                    </Button>
                    <Button
                      type="button"
                      size="sm"
                      variant="secondary"
                      disabled={update.isPending}
                      onClick={() =>
                        a.enabled ? setDisabling(a) : update.mutate({ name: a.name, patch: { enabled: true } })
                      }
                      aria-label={`${a.enabled ? "Disable" : "Enable"} ${a.name}`}
                    >
                      {a.enabled ? "Disable" : "Enable"}
                    </Button>
                  </>
                ) : null}
                {canWrite && !a.isDefault ? (
                  <Button
                    type="button"
                    size="sm"
                    variant="danger"
                    onClick={() => setDeleting(a)}
                    aria-label={`Delete ${a.name}`}
                  >
                    Delete
                  </Button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={disabling !== null}
        title={`Disable ${disabling?.name ?? ""}?`}
        confirmLabel="Disable authorizer"
        confirmVariant="dangerSolid"
        onCancel={() => setDisabling(null)}
        onConfirm={() => {
          if (disabling) update.mutate({ name: disabling.name, patch: { enabled: false } });
          setDisabling(null);
        }}
      >
        <DisableConsequences />
      </ConfirmDialog>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? ""}?`}
        confirmLabel="Delete authorizer"
        confirmVariant="dangerSolid"
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) remove.mutate(deleting.name);
          setDeleting(null);
        }}
      >
        <p>
          Requests stop going to it at once: routing scripts that name it fall back to the default authorizer (
          {currentDefault?.name ?? "none"}).
        </p>
        <p>
          Requests still pending at it lose this reviewer; one left with no other authorizer ends when it expires. Its
          callback URL stops accepting decisions. Past requests keep their audit trail. This cannot be undone.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={promoting !== null}
        title={`Make ${promoting?.name ?? ""} the default?`}
        confirmLabel={
          promoting && promoting.health.state !== "healthy" && promoting.health.state !== "degraded"
            ? "Make it the default anyway"
            : "Make default"
        }
        confirmVariant={
          promoting && (promoting.health.state === "failing" || promoting.health.state === "untested")
            ? "dangerSolid"
            : "primary"
        }
        onCancel={() => setPromoting(null)}
        onConfirm={() => {
          if (promoting) update.mutate({ name: promoting.name, patch: { isDefault: true } });
          setPromoting(null);
        }}
      >
        {promoting ? <DefaultChangeConsequences candidate={promoting} current={currentDefault} /> : null}
      </ConfirmDialog>
    </Card>
  );
}

/** Making an authorizer the default sends it every request no rule routes elsewhere: warn when it is failing or untested. */
function DefaultChangeConsequences({
  candidate,
  current,
}: {
  candidate: AuthorizerRow;
  current: AuthorizerRow | undefined;
}) {
  const { state, lastFailureCause } = candidate.health;
  return (
    <>
      <p>
        Every request your routing script does not send elsewhere will go to <strong>{candidate.name}</strong> instead
        of {current?.name ?? "no authorizer"}, from the next request on.
      </p>
      {state === "failing" ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800 ring-1 ring-red-200">
          <strong>{candidate.name} is failing</strong>
          {lastFailureCause ? (
            <>
              {" "}
              (last failure: <code>{lastFailureCause}</code>)
            </>
          ) : null}
          . Requests sent to it will be denied as unavailable, or approved without review if the tenant fails open.
        </p>
      ) : null}
      {state === "untested" ? (
        <p role="alert" className="rounded-md bg-amber-50 p-3 text-amber-900 ring-1 ring-amber-200">
          <strong>{candidate.name} is untested</strong>: nothing was sent to it or heard from it in the last 24 hours.
          Send a test request from its page first.
        </p>
      ) : null}
      {state === "degraded" ? (
        <p className="text-amber-800">{candidate.name} is degraded: some recent calls failed or were slow.</p>
      ) : null}
    </>
  );
}

/** What the kill switch does (PROTOCOL.md "Decision freshness and authority"), said before it happens. */
export function DisableConsequences() {
  return (
    <>
      <p>
        From now on its decisions are refused on every channel (callback, poll and submit answers), including approvals
        for requests already in flight: nothing it approves will execute.
      </p>
      <p>
        Its pending requests are cancelled at it. A request left with no other enabled authorizer still reviewing it
        ends <strong>denied</strong> (reason <code>authorizer_disabled</code>); it never proceeds without review.
      </p>
    </>
  );
}
