"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card, ErrorNote, Notice } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CheckboxField, SelectField, TextField } from "@/components/ui/field";
import { consoleQueries, type AuthorizerRow } from "../shell/queries";
import { DisableConsequences } from "./authorizer-list";
import { useAuthorizerMutations } from "./use-authorizer-mutations";

// The kill switch, said where it is pulled (see DisableConsequences in authorizer-list.tsx).
const DISABLE_HINT =
  "Disabling refuses its decisions at once, also for requests in flight; its pending requests are cancelled at it, and one left with no other enabled authorizer ends denied (authorizer_disabled).";

/** Endpoint, SP id, registered signing key and flags of one authorizer (read-only for viewers). */
export function AuthorizerSettingsForm({ authorizer, canWrite }: { authorizer: AuthorizerRow; canWrite: boolean }) {
  const { data: keys } = useSuspenseQuery(consoleQueries.signingKeys());
  const { update } = useAuthorizerMutations();
  const options = [
    { value: "", label: "Not recorded" },
    ...keys.data.map((k) => ({ value: k.keyId, label: `${k.keyId} (${k.state})` })),
  ];

  const [disabling, setDisabling] = useState<Record<string, unknown> | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const text = (k: string) => String(f.get(k) ?? "").trim();
    const patch = {
      endpoint: text("endpoint"),
      spId: text("spId"),
      signingKeyId: text("signingKeyId") || null,
      pollOnly: f.get("pollOnly") === "on",
      ...(authorizer.isDefault ? {} : { enabled: f.get("enabled") === "on" }),
    };
    // Switching it off is traffic-affecting: say what happens before it does.
    if (authorizer.enabled && patch.enabled === false) return setDisabling(patch);
    update.mutate({ name: authorizer.name, patch });
  }

  return (
    <Card title="Connection" description="Where the gateway sends requests for this authorizer, and who it says it is.">
      <form key={authorizer.updatedAt} onSubmit={onSubmit} className="grid gap-4 md:grid-cols-2">
        <fieldset disabled={!canWrite} className="contents">
          <TextField label="Endpoint" name="endpoint" type="url" required defaultValue={authorizer.endpoint} />
          <TextField label="SP id" name="spId" required defaultValue={authorizer.spId} />
          <SelectField
            label="Signing key it has registered"
            name="signingKeyId"
            defaultValue={authorizer.signingKeyId ?? ""}
            options={options}
            hint="Update this once the authorizer has your new public key."
          />
          <div className="space-y-3 pt-1">
            <CheckboxField label="Poll for decisions" name="pollOnly" defaultChecked={authorizer.pollOnly} />
            <CheckboxField
              label="Enabled"
              name="enabled"
              defaultChecked={authorizer.enabled}
              disabled={authorizer.isDefault || !canWrite}
              hint={authorizer.isDefault ? "The default authorizer is always enabled." : DISABLE_HINT}
            />
          </div>
        </fieldset>
        {canWrite ? (
          <div className="md:col-span-2">
            <Button type="submit" disabled={update.isPending}>
              {update.isPending ? "Saving…" : "Save changes"}
            </Button>
          </div>
        ) : null}
      </form>
      <div className="mt-3">
        {update.error ? <ErrorNote>{update.error.message}</ErrorNote> : null}
        {update.isSuccess ? <Notice tone="green">Saved.</Notice> : null}
      </div>
      <ConfirmDialog
        open={disabling !== null}
        title={`Disable ${authorizer.name}?`}
        confirmLabel="Disable authorizer"
        confirmVariant="dangerSolid"
        onCancel={() => setDisabling(null)}
        onConfirm={() => {
          if (disabling) update.mutate({ name: authorizer.name, patch: disabling });
          setDisabling(null);
        }}
      >
        <DisableConsequences />
      </ConfirmDialog>
    </Card>
  );
}
