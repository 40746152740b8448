"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, EmptyState, ErrorNote, Notice } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RelativeTime } from "@/components/ui/time";
import { CopyField } from "@/components/ui/copy-button";
import { TextField } from "@/components/ui/field";
import { consoleFetch } from "../shell/api-client";
import { consoleQueries, type ApiKeyRow } from "../shell/queries";

const allScopes = ["requests:write", "requests:read", "admin"] as const;

function when(value: string | null) {
  return value ? <RelativeTime value={value} /> : "never";
}

export function ApiKeysPanel({ canManage }: { canManage: boolean }) {
  const queryClient = useQueryClient();
  const keys = useSuspenseQuery(consoleQueries.apiKeys());
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);
  const [secret, setSecret] = useState<{ id: string; value: string } | null>(null);
  const [scopes, setScopes] = useState<string[]>(["requests:write", "requests:read"]);
  const create = useMutation({
    mutationFn: (input: { name: string; scopes: string[] }) =>
      consoleFetch<ApiKeyRow & { secret: string }>("/api/console/api-keys", { method: "POST", json: input }),
    onSuccess: (created) => {
      setSecret({ id: created.id, value: created.secret });
      void queryClient.invalidateQueries({ queryKey: consoleQueries.apiKeys().queryKey });
    },
  });
  const revoke = useMutation({
    // The dialog is the confirmation: the name goes along as the server's confirmName (needed for a key in use).
    mutationFn: (key: ApiKeyRow) =>
      consoleFetch(`/api/console/api-keys/${key.id}`, { method: "DELETE", json: { confirmName: key.name } }),
    onSuccess: (_answer, key) => {
      // A revoked key's secret has no business staying on screen.
      setSecret((shown) => (shown?.id === key.id ? null : shown));
      return queryClient.invalidateQueries({ queryKey: consoleQueries.apiKeys().queryKey });
    },
  });

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    create.mutate({ name, scopes });
    event.currentTarget.reset();
  }

  return (
    <div className="space-y-6">
      {canManage ? (
        <Card
          title="Create an API key"
          description="Your services authenticate to the gateway with these keys. The secret is shown once."
        >
          <form onSubmit={onCreate} className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-end">
            <TextField label="Name" name="name" placeholder="mdm-service (production)" required maxLength={100} />
            <Button type="submit" disabled={create.isPending || scopes.length === 0}>
              Create key
            </Button>
            <fieldset className="sm:col-span-2">
              <legend className="text-sm font-medium text-slate-700">Scopes</legend>
              <p className="mt-0.5 text-xs text-slate-500">
                requests:write submits, requests:read reads results, admin configures authorizers, settings and keys.
              </p>
              <div className="mt-2 flex flex-wrap gap-4">
                {allScopes.map((scope) => (
                  <label key={scope} className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="size-4 accent-brand-600"
                      checked={scopes.includes(scope)}
                      onChange={(e) =>
                        setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))
                      }
                    />
                    <code>{scope}</code>
                  </label>
                ))}
              </div>
            </fieldset>
          </form>
          {create.error ? (
            <div className="mt-3">
              <ErrorNote>{create.error.message}</ErrorNote>
            </div>
          ) : null}
          {secret ? (
            <div className="mt-4">
              <Notice tone="amber" title="Copy this secret now. It will not be shown again.">
                <CopyField label="Copy API key secret" value={secret.value} />
              </Notice>
            </div>
          ) : null}
        </Card>
      ) : null}
      <Card title="API keys" description={canManage ? undefined : "You can view keys; an owner manages them."}>
        {revoke.error ? <ErrorNote>{revoke.error.message}</ErrorNote> : null}
        {keys.data.data.length === 0 ? <EmptyState title="No API keys yet" /> : null}
        <ul className="divide-y divide-slate-100">
          {keys.data.data.map((key) => (
            <li key={key.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div className="min-w-0">
                <p className="flex items-center gap-2 text-sm font-medium">
                  {key.name} {key.revokedAt ? <Badge tone="red">revoked</Badge> : <Badge tone="green">active</Badge>}
                </p>
                <p className="mt-0.5 text-xs text-slate-500">
                  <code>{key.prefix}…</code> · {key.scopes.join(", ")} · created {when(key.createdAt)} · last used{" "}
                  {when(key.lastUsedAt)}
                </p>
              </div>
              {canManage && !key.revokedAt ? (
                <Button
                  type="button"
                  variant="danger"
                  onClick={() => setRevoking(key)}
                  disabled={revoke.isPending}
                  aria-label={`Revoke ${key.name}`}
                >
                  Revoke
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
        <ConfirmDialog
          open={revoking !== null}
          title={`Revoke ${revoking?.name ?? ""}?`}
          confirmLabel="Revoke key"
          confirmVariant="dangerSolid"
          onCancel={() => setRevoking(null)}
          onConfirm={() => {
            if (revoking) revoke.mutate(revoking);
            setRevoking(null);
          }}
        >
          <p>
            Every service using <strong>{revoking?.name}</strong> (<code>{revoking?.prefix}…</code>) is refused from the
            next call on: its submissions fail with <code>invalid_api_key</code> and nothing it sends is reviewed or
            executed.
          </p>
          <p>
            {revoking?.lastUsedAt ? `It was last used ${when(revoking.lastUsedAt)}.` : "It has never been used."} This
            cannot be undone: the service needs a new key.
          </p>
        </ConfirmDialog>
      </Card>
    </div>
  );
}
