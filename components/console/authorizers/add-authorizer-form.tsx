"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card, ErrorNote, Notice } from "@/components/ui/card";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { consoleQueries } from "../shell/queries";
import { useAuthorizerMutations } from "./use-authorizer-mutations";

/** Registers a StepAuth authorizer: where to send, who we are to it, and the key it signs decisions with. */
export function AddAuthorizerForm() {
  const { data: keys } = useSuspenseQuery(consoleQueries.signingKeys());
  const { create } = useAuthorizerMutations();
  const [added, setAdded] = useState<string | null>(null);
  const live = keys.data.filter((k) => k.state !== "retired");

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    const text = (k: string) => String(f.get(k) ?? "").trim();
    create.mutate(
      {
        name: text("name"),
        endpoint: text("endpoint"),
        spId: text("spId"),
        publicKeys: [{ keyId: text("publicKeyId"), algorithm: "ed25519", publicKey: text("publicKey") }],
        signingKeyId: text("signingKeyId") || null,
        pollOnly: f.get("pollOnly") === "on",
        isDefault: f.get("isDefault") === "on",
      },
      {
        onSuccess: () => {
          setAdded(text("name"));
          form.reset();
        },
      },
    );
  }

  return (
    <Card
      title="Add an authorizer"
      description="You get its endpoint, SP id and public key when you register this tenant with it."
    >
      <form onSubmit={onSubmit} aria-label="Add an authorizer" className="grid gap-4 md:grid-cols-2">
        <TextField
          label="Name"
          name="name"
          required
          maxLength={64}
          placeholder="security-team"
          hint="What routing scripts return: letters, digits, _ . -"
        />
        <TextField label="Endpoint" name="endpoint" type="url" required placeholder="https://authorizer.example.com" />
        <TextField
          label="SP id"
          name="spId"
          required
          maxLength={128}
          placeholder="sp_acme"
          hint="The id this authorizer knows your tenant by."
        />
        <SelectField
          label="Which of your signing keys it has registered"
          name="signingKeyId"
          defaultValue={live.find((k) => k.state === "active")?.keyId ?? ""}
          options={[
            { value: "", label: "Not recorded" },
            ...live.map((k) => ({ value: k.keyId, label: `${k.keyId} (${k.state})` })),
          ]}
          hint="Used to show which authorizers still need a new key during a rotation."
        />
        <TextField label="Authorizer key id" name="publicKeyId" required placeholder="auth-key-2026" />
        <div className="md:col-span-2">
          <TextAreaField
            label="Authorizer public key"
            name="publicKey"
            required
            rows={2}
            className="font-mono text-xs"
            placeholder="MCowBQYDK2VwAyEA…"
            hint="Base64 SPKI DER Ed25519 key that verifies its decisions. Add more later for its rotations."
          />
        </div>
        <CheckboxField
          label="Poll for decisions"
          name="pollOnly"
          hint="For authorizers that cannot reach the gateway's callback URL."
        />
        <CheckboxField
          label="Make this the default authorizer"
          name="isDefault"
          hint="Exactly one authorizer is the default; the first one always is."
        />
        <div className="md:col-span-2 flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Adding…" : "Add authorizer"}
          </Button>
        </div>
      </form>
      <div className="mt-3 space-y-2">
        {create.error ? <ErrorNote>{create.error.message}</ErrorNote> : null}
        {added && !create.error ? (
          <Notice tone="green">Added {added}. Open it to copy the callback URL and send a test request.</Notice>
        ) : null}
      </div>
    </Card>
  );
}
