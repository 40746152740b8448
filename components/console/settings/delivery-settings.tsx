"use client";

import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card, ErrorNote, Notice } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { useSettings } from "./use-settings";

/** Retry policy towards authorizers, default request lifetime and the public URL callbacks use. */
export function DeliverySettings({ canWrite }: { canWrite: boolean }) {
  const { settings, save } = useSettings();
  const r = settings.retryPolicy;
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const num = (k: string) => Number(f.get(k));
    const publicBaseUrl = String(f.get("publicBaseUrl") ?? "").trim();
    save.mutate({
      retryPolicy: {
        maxAttempts: num("maxAttempts"),
        baseDelayMs: num("baseDelayMs"),
        factor: num("factor"),
        attemptTimeoutMs: num("attemptTimeoutMs"),
      },
      defaultExpiresIn: Math.round(num("lifetimeMinutes") * 60),
      executionWindowSeconds: Math.round(num("executionWindowMinutes") * 60),
      publicBaseUrl: publicBaseUrl === "" ? null : publicBaseUrl,
    });
  }
  return (
    <Card
      title="Retries and lifetimes"
      description="How hard the gateway tries to reach an authorizer, and how long a request waits for a decision."
    >
      <form key={settings.updatedAt ?? "defaults"} onSubmit={onSubmit} className="space-y-4">
        <fieldset disabled={!canWrite} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <legend className="mb-2 text-sm font-medium text-slate-700 sm:col-span-2 lg:col-span-4">Retry policy</legend>
          <TextField
            label="Attempts"
            name="maxAttempts"
            type="number"
            min={1}
            max={10}
            required
            defaultValue={r.maxAttempts}
            hint="1–10, first try included"
          />
          <TextField
            label="First backoff (ms)"
            name="baseDelayMs"
            type="number"
            min={50}
            max={10000}
            required
            defaultValue={r.baseDelayMs}
            hint="Full jitter"
          />
          <TextField
            label="Backoff factor"
            name="factor"
            type="number"
            min={1}
            max={4}
            step={0.1}
            required
            defaultValue={r.factor}
          />
          <TextField
            label="Attempt timeout (ms)"
            name="attemptTimeoutMs"
            type="number"
            min={500}
            max={30000}
            required
            defaultValue={r.attemptTimeoutMs}
          />
        </fieldset>
        <fieldset disabled={!canWrite} className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Execution window (minutes)"
            name="executionWindowMinutes"
            type="number"
            min={1}
            max={1440}
            step={1}
            required
            defaultValue={Math.round(settings.executionWindowSeconds / 60)}
            hint="How long after an approval the service may claim its execution (1 minute to 24 hours, never past the request's expiry). Later claims are refused."
          />
          <TextField
            label="Default request lifetime (minutes)"
            name="lifetimeMinutes"
            type="number"
            min={1}
            max={10080}
            step={1}
            required
            defaultValue={Math.round(settings.defaultExpiresIn / 60)}
            hint="Used when a service sends no expiresIn; pending requests then expire."
          />
          <TextField
            label="Gateway public URL"
            name="publicBaseUrl"
            type="url"
            defaultValue={settings.publicBaseUrl ?? ""}
            placeholder="https://gateway.example.com"
            hint="Origin authorizers call back to; empty uses the server's configured URL."
          />
        </fieldset>
        {canWrite ? (
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save"}
          </Button>
        ) : null}
        {save.error ? <ErrorNote>{save.error.message}</ErrorNote> : null}
        {save.isSuccess ? <Notice tone="green">Saved.</Notice> : null}
      </form>
    </Card>
  );
}
