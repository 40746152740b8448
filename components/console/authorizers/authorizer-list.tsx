"use client";

import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, EmptyState, ErrorNote } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { fetchers, queryKeys, type AuthorizerRow } from "../shell/queries";
import { useAuthorizerMutations } from "./use-authorizer-mutations";

/** Every authorizer with its state; admins can make one the default, disable, enable or delete it. */
export function AuthorizerList({ canWrite }: { canWrite: boolean }) {
  const { data } = useSuspenseQuery({ queryKey: queryKeys.authorizers, queryFn: fetchers.authorizers });
  const { update, remove } = useAuthorizerMutations();
  const [deleting, setDeleting] = useState<AuthorizerRow | null>(null);
  const [disabling, setDisabling] = useState<AuthorizerRow | null>(null);
  const error = update.error ?? remove.error;
  return (
    <Card title="Authorizers" description="Where requests are sent for review. Routing falls back to the default one.">
      {error ? <div className="mb-3"><ErrorNote>{error.message}</ErrorNote></div> : null}
      {data.data.length === 0 ? (
        <EmptyState title="No authorizers yet">{canWrite ? "Add the StepAuth authorizer your reviewers use; the first one becomes the default." : "An admin has not added any authorizer yet."}</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Authorizers">
          {data.data.map((a) => (
            <li key={a.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid={`authorizer-${a.name}`}>
              <div className="min-w-0">
                <p className="flex flex-wrap items-center gap-2">
                  <Link href={`/authorizers/${encodeURIComponent(a.name)}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">{a.name}</Link>
                  {a.isDefault ? <Badge tone="blue">default</Badge> : null}
                  {a.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}
                  {a.pollOnly ? <Badge tone="violet">poll-only</Badge> : null}
                </p>
                <p className="mt-0.5 truncate font-mono text-xs text-slate-500">{a.endpoint}</p>
                <p className="text-xs text-slate-500">{a.publicKeys.length} public key{a.publicKeys.length === 1 ? "" : "s"} · SP id <span className="font-mono">{a.spId}</span>{a.signingKeyId ? <> · knows <span className="font-mono">{a.signingKeyId}</span></> : null}</p>
              </div>
              <div className="flex flex-wrap gap-2">
                <Link href={`/authorizers/${encodeURIComponent(a.name)}`} className="inline-flex items-center rounded-md px-2.5 py-1.5 text-xs font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50">{canWrite ? "Edit" : "View"}<span className="sr-only"> {a.name}</span></Link>
                {canWrite && !a.isDefault ? (
                  <>
                    <Button type="button" size="sm" variant="secondary" disabled={!a.enabled || update.isPending} onClick={() => update.mutate({ name: a.name, patch: { isDefault: true } })} aria-label={`Make ${a.name} the default`}>Make default</Button>
                    <Button type="button" size="sm" variant="secondary" disabled={update.isPending} onClick={() => (a.enabled ? setDisabling(a) : update.mutate({ name: a.name, patch: { enabled: true } }))} aria-label={`${a.enabled ? "Disable" : "Enable"} ${a.name}`}>{a.enabled ? "Disable" : "Enable"}</Button>
                  </>
                ) : null}
                {canWrite && (!a.isDefault || data.data.length === 1) ? <Button type="button" size="sm" variant="danger" onClick={() => setDeleting(a)} aria-label={`Delete ${a.name}`}>Delete</Button> : null}
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
        onConfirm={() => { if (disabling) update.mutate({ name: disabling.name, patch: { enabled: false } }); setDisabling(null); }}
      >
        <DisableConsequences />
      </ConfirmDialog>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? ""}?`}
        confirmLabel="Delete authorizer"
        confirmVariant="dangerSolid"
        onCancel={() => setDeleting(null)}
        onConfirm={() => { if (deleting) remove.mutate(deleting.name); setDeleting(null); }}
      >
        <p>Routing scripts that name it will fall back to the default authorizer. Past requests keep their audit trail.</p>
      </ConfirmDialog>
    </Card>
  );
}

/** What the kill switch does (PROTOCOL.md "Decision freshness and authority"), said before it happens. */
export function DisableConsequences() {
  return (
    <>
      <p>From now on its decisions are refused on every channel (callback, poll and submit answers), including approvals for requests already in flight: nothing it approves will execute.</p>
      <p>Its pending requests are cancelled at it. A request left with no other enabled authorizer still reviewing it ends <strong>denied</strong> (reason <code>authorizer_disabled</code>); it never proceeds without review.</p>
    </>
  );
}
