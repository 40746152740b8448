"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, ErrorNote, Notice } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyField } from "@/components/ui/copy-button";
import { CheckboxField, TextField } from "@/components/ui/field";
import type { WebhookTestResult } from "@/lib/console/webhook-test-event";
import { consoleFetch } from "../shell/api-client";
import { formatDuration } from "../shell/format";
import { consoleQueries } from "../shell/queries";
import { SecretGraceCountdown } from "./secret-grace-countdown";
import { useSettings } from "./use-settings";

/** The service webhook: where decisions are delivered (Standard Webhooks), its secret and a test event. */
export function WebhookSettings({ canWrite }: { canWrite: boolean }) {
  const queryClient = useQueryClient();
  const { settings, save } = useSettings();
  const [secret, setSecret] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<"rotate" | "remove" | null>(null);
  const [leaked, setLeaked] = useState(false);
  const test = useMutation({
    // The server gives the webhook 10 s; 15 s without any answer means the gateway itself is unreachable.
    mutationFn: () =>
      consoleFetch<WebhookTestResult>("/api/console/settings/webhook-test", { method: "POST", timeoutMs: 15_000 }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: consoleQueries.deliveries().queryKey }),
  });
  const apply = (patch: Record<string, unknown>) =>
    save.mutate(patch, { onSuccess: (r) => setSecret(r.webhookSecret ?? null) });
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const url = String(new FormData(event.currentTarget).get("webhookUrl") ?? "").trim();
    apply({ webhookUrl: url === "" ? null : url });
  }
  return (
    <Card
      title="Service webhook"
      description="Final decisions are POSTed here, signed per Standard Webhooks (webhook-id = requestId). Without one, services claim executions through the API."
      actions={
        settings.webhookUrl ? (
          <Badge tone={settings.hasWebhookSecret ? "green" : "amber"}>
            {settings.hasWebhookSecret ? "configured" : "no secret"}
          </Badge>
        ) : (
          <Badge>not set</Badge>
        )
      }
    >
      <form key={settings.webhookUrl ?? "none"} onSubmit={onSubmit} className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <TextField
            label="Webhook URL"
            name="webhookUrl"
            type="url"
            defaultValue={settings.webhookUrl ?? ""}
            placeholder="https://mdm.acme.com/stepauth/webhook"
            disabled={!canWrite}
          />
        </div>
        {canWrite ? (
          <Button type="submit" disabled={save.isPending}>
            Save URL
          </Button>
        ) : null}
      </form>
      {canWrite && settings.webhookUrl ? (
        <div className="mt-4 flex flex-wrap gap-2">
          <Button
            type="button"
            variant="secondary"
            onClick={() => {
              setLeaked(false);
              setConfirming("rotate");
            }}
            disabled={save.isPending}
          >
            Rotate secret
          </Button>
          <Button type="button" variant="secondary" onClick={() => test.mutate()} disabled={test.isPending}>
            {test.isPending ? "Sending…" : "Send test event"}
          </Button>
          <Button type="button" variant="danger" onClick={() => setConfirming("remove")} disabled={save.isPending}>
            Remove webhook
          </Button>
        </div>
      ) : null}
      <div className="mt-4 space-y-3">
        {settings.webhookSecretGraceEndsAt ? <SecretGraceCountdown endsAt={settings.webhookSecretGraceEndsAt} /> : null}
        {secret ? (
          <Notice tone="amber" title="Copy the signing secret now. It will not be shown again.">
            <CopyField label="Copy webhook secret" value={secret} />
          </Notice>
        ) : null}
        {save.error ? <ErrorNote>{save.error.message}</ErrorNote> : null}
        {test.error ? <ErrorNote>Test event not sent: {test.error.message}</ErrorNote> : null}
        {test.data ? (
          <Notice
            tone={test.data.ok ? "green" : "red"}
            title={
              test.data.ok
                ? `Test event delivered (HTTP ${test.data.statusCode})`
                : `Test event failed: ${test.data.error}`
            }
          >
            <span className="font-mono text-xs">
              {test.data.messageId} · {formatDuration(test.data.latencyMs)}
              {test.data.responseExcerpt ? ` · ${test.data.responseExcerpt}` : ""}
            </span>
          </Notice>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirming === "rotate"}
        title="Rotate the webhook signing secret?"
        confirmLabel="Rotate secret"
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          setConfirming(null);
          apply(leaked ? { rotateWebhookSecret: true, webhookSecretGraceSeconds: 0 } : { rotateWebhookSecret: true });
        }}
      >
        <p>
          A new secret is issued and shown once. For 24 hours every delivery is signed with both the new and the old
          secret, so your service keeps verifying until you switch it over; then only the new secret signs.
        </p>
        <CheckboxField
          label="The old secret leaked: stop signing with it at once (deliveries fail until the service has the new secret)"
          checked={leaked}
          onChange={(e) => setLeaked(e.target.checked)}
        />
      </ConfirmDialog>
      <ConfirmDialog
        open={confirming === "remove"}
        title="Remove the service webhook?"
        confirmLabel="Remove webhook"
        confirmVariant="dangerSolid"
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          setConfirming(null);
          apply({ webhookUrl: null });
        }}
      >
        <p>
          Decisions are no longer delivered to <span className="font-mono break-all">{settings.webhookUrl}</span>, and
          its signing secret is deleted: deliveries still pending fail, and approved actions must then be claimed
          through the API. Setting a webhook again issues a new secret.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
