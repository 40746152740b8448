"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, EmptyState, ErrorNote, Notice } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-button";
import { consoleFetch } from "../shell/api-client";
import { consoleQueries } from "../shell/queries";
import { authorizersNotProvenOn } from "./key-dependents";
import { RetireKeyDialog } from "./retire-key-dialog";
import { RotationStatus } from "./rotation-status";
import { RelativeTime } from "@/components/ui/time";

const stateTone = { active: "green", next: "amber", retired: "slate" } as const;

/** The tenant's signing keys (public halves only) and the rotation controls: Rotate → Activate → Retire. */
export function SigningKeysPanel({ canManage }: { canManage: boolean }) {
  const queryClient = useQueryClient();
  const { data: keys } = useSuspenseQuery(consoleQueries.signingKeys());
  const { data: authorizers } = useSuspenseQuery(consoleQueries.authorizers());
  const [done, setDone] = useState<string | null>(null);
  const action = useMutation({
    mutationFn: ({ path, json }: { path: string; json?: unknown }) => consoleFetch(path, { method: "POST", json }),
    // A key change also re-registers a connected sandbox (and what it is known to accept).
    onSuccess: (_, { path }) => {
      setDone(
        path.endsWith("/activate")
          ? "Key activated: it is now the newest key that signs."
          : path.endsWith("/retire")
            ? "Key retired: it no longer signs."
            : "New key created: it signs alongside the current one until you activate it.",
      );
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: consoleQueries.signingKeys().queryKey }),
        queryClient.invalidateQueries({ queryKey: consoleQueries.authorizers().queryKey }),
      ]);
    },
    onMutate: () => setDone(null),
  });
  const [retiring, setRetiring] = useState<string | null>(null);
  const live = keys.data.filter((k) => k.state !== "retired");
  const next = live.find((k) => k.state === "next");
  const actives = live.filter((k) => k.state === "active");
  const newest = next ?? actives.at(-1);
  const run = (path: string) => action.mutate({ path });
  const remaining = live.filter((k) => k.keyId !== retiring).map((k) => k.keyId);
  const dependents = retiring ? authorizersNotProvenOn(authorizers.data, remaining) : [];

  return (
    <div className="space-y-6">
      <RotationStatus keys={keys.data} authorizers={authorizers.data} />
      {action.error ? <ErrorNote>{action.error.message}</ErrorNote> : null}
      {done && !action.error ? <Notice tone="green">{done}</Notice> : null}
      <Card
        title="Signing keys"
        description="Every key that is not retired signs each request. Private keys never leave the server, sealed at rest."
        actions={
          canManage && !next && actives.length <= 1 ? (
            <Button type="button" onClick={() => run("/api/console/signing-keys")} disabled={action.isPending}>
              Rotate
            </Button>
          ) : null
        }
      >
        {keys.data.length === 0 ? (
          <EmptyState title="No signing key yet">
            {canManage ? "Create one with Rotate; it becomes active at once." : "An owner creates the first key."}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100" aria-label="Signing keys">
            {[...keys.data].reverse().map((k) => (
              <li key={k.keyId} className="space-y-2 py-4" data-testid={`signing-key-${k.keyId}`}>
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <p className="flex flex-wrap items-center gap-2">
                    <span className="font-mono text-sm font-medium">{k.keyId}</span>
                    <Badge tone={stateTone[k.state]}>{k.state}</Badge>
                    <span className="text-xs text-slate-500">
                      Ed25519 · created <RelativeTime value={k.createdAt} />
                      {k.activatedAt ? (
                        <>
                          {" "}
                          · activated <RelativeTime value={k.activatedAt} />
                        </>
                      ) : null}
                      {k.retiredAt ? (
                        <>
                          {" "}
                          · retired <RelativeTime value={k.retiredAt} />
                        </>
                      ) : null}
                    </span>
                  </p>
                  {canManage ? (
                    <div className="flex gap-2">
                      {k.state === "next" ? (
                        <Button
                          type="button"
                          size="sm"
                          onClick={() => run(`/api/console/signing-keys/${k.keyId}/activate`)}
                          disabled={action.isPending}
                          aria-label={`Activate ${k.keyId}`}
                        >
                          Activate
                        </Button>
                      ) : null}
                      {k.state === "active" && actives.length > 1 && k.keyId !== newest?.keyId ? (
                        <Button
                          type="button"
                          size="sm"
                          variant="danger"
                          onClick={() => setRetiring(k.keyId)}
                          disabled={action.isPending}
                          aria-label={`Retire ${k.keyId}`}
                        >
                          Retire
                        </Button>
                      ) : null}
                      {k.state === "next" ? (
                        <Button
                          type="button"
                          size="sm"
                          variant="ghost"
                          onClick={() => run(`/api/console/signing-keys/${k.keyId}/retire`)}
                          disabled={action.isPending}
                          aria-label={`Abandon ${k.keyId}`}
                        >
                          Abandon
                        </Button>
                      ) : null}
                    </div>
                  ) : null}
                </div>
                {k.state !== "retired" ? (
                  <CopyField label={`Copy public key ${k.keyId} (base64 SPKI)`} value={k.publicKey} />
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <RetireKeyDialog
        keyId={retiring}
        remainingKeyIds={remaining}
        dependents={dependents}
        onCancel={() => setRetiring(null)}
        onConfirm={(confirmKeyId) => {
          if (retiring)
            action.mutate({
              path: `/api/console/signing-keys/${retiring}/retire`,
              json: confirmKeyId ? { confirmKeyId } : undefined,
            });
          setRetiring(null);
        }}
      />
    </div>
  );
}
