"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card, ErrorNote, Notice } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyField } from "@/components/ui/copy-button";
import { TextAreaField, TextField } from "@/components/ui/field";
import type { AuthorizerRow } from "../shell/queries";
import { useAuthorizerMutations } from "./use-authorizer-mutations";

/** The authorizer's own public keys (it signs decisions with them); several during its rotations. */
export function PublicKeysEditor({ authorizer, canWrite }: { authorizer: AuthorizerRow; canWrite: boolean }) {
  const { update } = useAuthorizerMutations();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const save = (
    publicKeys: AuthorizerRow["publicKeys"],
    message: string,
    done?: () => void,
    confirmRemovedKeyIds?: string[],
  ) => {
    setSaved(null);
    update.mutate(
      { name: authorizer.name, patch: { publicKeys, ...(confirmRemovedKeyIds ? { confirmRemovedKeyIds } : {}) } },
      {
        onSuccess: () => {
          setSaved(message);
          done?.();
        },
      },
    );
  };

  function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const key = {
      keyId: String(f.get("keyId") ?? "").trim(),
      algorithm: "ed25519" as const,
      publicKey: String(f.get("publicKey") ?? "").trim(),
    };
    save([...authorizer.publicKeys, key], `Added public key ${key.keyId}.`, () => setAdding(false));
  }

  return (
    <Card
      title="Authorizer public keys"
      description="Decisions must be signed by one of these. Keep the old key until the authorizer has switched."
      actions={
        canWrite && !adding ? (
          <Button type="button" size="sm" variant="secondary" onClick={() => setAdding(true)}>
            Add public key
          </Button>
        ) : null
      }
    >
      <ul className="divide-y divide-slate-100">
        {authorizer.publicKeys.map((k) => (
          <li key={k.keyId} className="space-y-1.5 py-3">
            <div className="flex items-center justify-between gap-2">
              <p className="text-sm">
                <span className="font-mono font-medium">{k.keyId}</span>{" "}
                <span className="text-xs text-slate-500">{k.algorithm}</span>
              </p>
              {canWrite ? (
                <Button
                  type="button"
                  size="sm"
                  variant="danger"
                  disabled={authorizer.publicKeys.length === 1 || update.isPending}
                  onClick={() => setRemoving(k.keyId)}
                  aria-label={`Remove public key ${k.keyId}`}
                  title={authorizer.publicKeys.length === 1 ? "An authorizer needs at least one key" : undefined}
                >
                  Remove
                </Button>
              ) : null}
            </div>
            <CopyField label={`Copy public key ${k.keyId}`} value={k.publicKey} />
          </li>
        ))}
      </ul>
      {adding ? (
        <form onSubmit={onAdd} className="mt-3 grid gap-3 rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200">
          <TextField label="Key id" name="keyId" required placeholder="auth-key-2027" />
          <TextAreaField
            label="Public key"
            name="publicKey"
            required
            rows={2}
            className="font-mono text-xs"
            placeholder="MCowBQYDK2VwAyEA…"
          />
          <div className="flex gap-2">
            <Button type="submit" disabled={update.isPending}>
              Add key
            </Button>
            <Button type="button" variant="ghost" onClick={() => setAdding(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
      {update.error ? (
        <div className="mt-3">
          <ErrorNote>{update.error.message}</ErrorNote>
        </div>
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove public key ${removing ?? ""}?`}
        confirmLabel="Remove key"
        confirmVariant="dangerSolid"
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          // The dialog is the confirmation the server asks for when the key verified recent decisions.
          if (removing)
            save(
              authorizer.publicKeys.filter((x) => x.keyId !== removing),
              `Removed public key ${removing}.`,
              undefined,
              [removing],
            );
          setRemoving(null);
        }}
      >
        <p>
          From now on a decision of {authorizer.name} signed with <span className="font-mono">{removing}</span> is
          refused as <code>invalid_signature</code> — on callbacks, polls and submit answers — including decisions on
          requests already pending.
        </p>
        <p>
          Remove it only once {authorizer.name} signs with{" "}
          {authorizer.publicKeys
            .filter((x) => x.keyId !== removing)
            .map((x) => x.keyId)
            .join(", ")}
          . Requests it cannot decide are denied when they expire.
        </p>
      </ConfirmDialog>
      {saved && !update.error ? (
        <div className="mt-3">
          <Notice tone="green">{saved}</Notice>
        </div>
      ) : null}
    </Card>
  );
}
