"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, ErrorNote } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { consoleFetch } from "../shell/api-client";

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const apiKeysQueryKey = ["api-keys"] as const;
export const fetchApiKeys = () => consoleFetch<{ data: ApiKeyRow[] }>("/api/console/api-keys");
const allScopes = ["requests:write", "requests:read", "admin"] as const;

function when(value: string | null) {
  return value ? new Date(value).toLocaleString() : "never";
}

export function ApiKeysPanel({ canManage }: { canManage: boolean }) {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: apiKeysQueryKey, queryFn: fetchApiKeys });
  const [secret, setSecret] = useState<string | null>(null);
  const [scopes, setScopes] = useState<string[]>(["requests:write", "requests:read"]);
  const create = useMutation({
    mutationFn: (input: { name: string; scopes: string[] }) => consoleFetch<ApiKeyRow & { secret: string }>("/api/console/api-keys", { method: "POST", json: input }),
    onSuccess: (created) => {
      setSecret(created.secret);
      void queryClient.invalidateQueries({ queryKey: apiKeysQueryKey });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => consoleFetch(`/api/console/api-keys/${id}`, { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysQueryKey }),
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
        <Card title="Create an API key" description="Your services authenticate to the gateway with these keys. The secret is shown once.">
          <form onSubmit={onCreate} className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-end">
            <TextField label="Name" name="name" placeholder="mdm-service (production)" required maxLength={100} />
            <Button type="submit" disabled={create.isPending || scopes.length === 0}>Create key</Button>
            <fieldset className="sm:col-span-2">
              <legend className="text-sm font-medium text-slate-700">Scopes</legend>
              <div className="mt-2 flex flex-wrap gap-4">
                {allScopes.map((scope) => (
                  <label key={scope} className="flex items-center gap-2 text-sm">
                    <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))} />
                    <code>{scope}</code>
                  </label>
                ))}
              </div>
            </fieldset>
          </form>
          {create.error ? <div className="mt-3"><ErrorNote>{create.error.message}</ErrorNote></div> : null}
          {secret ? (
            <div className="mt-4 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200" role="status">
              <p className="text-sm font-medium text-amber-900">Copy this secret now. It will not be shown again.</p>
              <code data-testid="new-api-key-secret" className="mt-2 block break-all rounded bg-white px-2 py-1.5 font-mono text-sm ring-1 ring-amber-200">{secret}</code>
            </div>
          ) : null}
        </Card>
      ) : null}
      <Card title="API keys" description={canManage ? undefined : "You can view keys; an owner manages them."}>
        {keys.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
        {keys.error ? <ErrorNote>{keys.error.message}</ErrorNote> : null}
        {keys.data && keys.data.data.length === 0 ? <p className="text-sm text-slate-500">No API keys yet.</p> : null}
        <ul className="divide-y divide-slate-100">
          {keys.data?.data.map((key) => (
            <li key={key.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div className="min-w-0">
                <p className="flex items-center gap-2 text-sm font-medium">
                  {key.name} {key.revokedAt ? <Badge tone="red">revoked</Badge> : <Badge tone="green">active</Badge>}
                </p>
                <p className="mt-0.5 text-xs text-slate-500">
                  <code>{key.prefix}…</code> · {key.scopes.join(", ")} · created {when(key.createdAt)} · last used {when(key.lastUsedAt)}
                </p>
              </div>
              {canManage && !key.revokedAt ? (
                <Button variant="danger" onClick={() => revoke.mutate(key.id)} disabled={revoke.isPending} aria-label={`Revoke ${key.name}`}>Revoke</Button>
              ) : null}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
