"use client";

import Link from "next/link";
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TextField } from "@/components/ui/field";
import type { AuthorizerRow } from "../shell/queries";

/**
 * Confirms retiring a key. When enabled authorizers have not been shown to accept a remaining key,
 * it names them and asks for the key id to be typed (the server requires the same confirmation).
 */
export function RetireKeyDialog({
  keyId,
  remainingKeyIds,
  dependents,
  onConfirm,
  onCancel,
}: {
  keyId: string | null;
  remainingKeyIds: string[];
  dependents: AuthorizerRow[];
  onConfirm: (confirmKeyId?: string) => void;
  onCancel: () => void;
}) {
  const [typed, setTyped] = useState("");
  const mustType = dependents.length > 0;
  const close = () => {
    setTyped("");
    onCancel();
  };
  return (
    <ConfirmDialog
      open={keyId !== null}
      title={`Retire ${keyId ?? ""}?`}
      confirmLabel="Retire key"
      confirmVariant="dangerSolid"
      confirmDisabled={mustType && typed !== keyId}
      onCancel={close}
      onConfirm={() => {
        setTyped("");
        onConfirm(mustType ? (keyId ?? undefined) : undefined);
      }}
    >
      <p>
        From now on requests carry only the signature of <span className="font-mono">{remainingKeyIds.join(", ")}</span>
        . A retired key never signs again.
      </p>
      {mustType ? (
        <>
          <div className="rounded-md bg-red-50 p-3 text-red-800 ring-1 ring-red-200" role="alert">
            <p className="font-medium">
              These enabled authorizers have not been shown to accept the new key. If they still know only {keyId},
              every request they get will be refused (invalid_signature) and denied:
            </p>
            <ul className="mt-1 list-disc pl-5" aria-label="Authorizers that may rely on this key">
              {dependents.map((a) => (
                <li key={a.id}>
                  <Link className="underline" href={`/authorizers/${encodeURIComponent(a.name)}`}>
                    {a.name}
                  </Link>
                </li>
              ))}
            </ul>
            <p className="mt-1">Safer: open each one and press “Test with the new key only”.</p>
          </div>
          <TextField
            label={`Type ${keyId} to retire it anyway`}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </>
      ) : (
        <p>Every enabled authorizer has accepted a request signed by the new key alone.</p>
      )}
    </ConfirmDialog>
  );
}
