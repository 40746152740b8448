"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Card, ErrorNote, Notice } from "@/components/ui/card";
import { CheckboxField } from "@/components/ui/field";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { describeSetter } from "../shell/fail-open-banner";
import { formatDateTime } from "../shell/format";
import { consoleQueries } from "../shell/queries";
import { useSettings } from "./use-settings";

const choices = [
  {
    value: "fail_closed",
    title: "Fail closed (recommended)",
    text: "If no authorizer can be reached, the request is denied (authorizer_unavailable). Nothing runs without review.",
  },
  {
    value: "fail_open",
    title: "Fail open",
    text: "If every authorizer is unreachable, the request is approved without review and marked fail-open in the audit trail.",
  },
] as const;

/** What happens when no authorizer answers. Switching to fail-open needs an explicit confirmation. */
export function UnavailabilityPolicy({ canWrite }: { canWrite: boolean }) {
  const { settings, save } = useSettings();
  const queryClient = useQueryClient();
  const failOpen = useQuery(consoleQueries.failOpen());
  // The banner on every page and the overview follow the policy as soon as it is saved.
  useEffect(() => {
    if (!save.isSuccess) return;
    void queryClient.invalidateQueries({ queryKey: consoleQueries.failOpen().queryKey });
    void queryClient.invalidateQueries({ queryKey: consoleQueries.attention().queryKey });
  }, [save.isSuccess, save.data, queryClient]);
  const [confirming, setConfirming] = useState(false);
  const [understood, setUnderstood] = useState(false);
  const choose = (value: string) => {
    if (value === settings.unavailabilityPolicy) return;
    if (value === "fail_open") {
      setUnderstood(false);
      setConfirming(true);
      return;
    }
    save.mutate({ unavailabilityPolicy: value });
  };
  return (
    <Card
      title="When authorizers are unreachable"
      description="Applies only when every authorizer is down or timing out; an authorizer that refuses always denies."
    >
      <fieldset disabled={!canWrite || save.isPending}>
        <legend className="sr-only">Unavailability policy</legend>
        <div className="grid gap-3 md:grid-cols-2">
          {choices.map((c) => (
            <label
              key={c.value}
              className={`flex cursor-pointer gap-3 rounded-lg p-4 ring-1 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500 ${settings.unavailabilityPolicy === c.value ? (c.value === "fail_open" ? "bg-amber-50 ring-amber-300" : "bg-brand-50 ring-brand-500") : "ring-slate-200 hover:bg-slate-50"}`}
            >
              <input
                type="radio"
                name="unavailabilityPolicy"
                value={c.value}
                checked={settings.unavailabilityPolicy === c.value}
                onChange={() => choose(c.value)}
                className="mt-1 accent-brand-600"
              />
              <span>
                <span className="block text-sm font-semibold text-slate-900">{c.title}</span>
                <span className="mt-0.5 block text-sm text-slate-600">{c.text}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="mt-3 space-y-2">
        {settings.unavailabilityPolicy === "fail_open" ? (
          <Notice tone="amber" title="This tenant fails open">
            Set {settings.failOpenSetAt ? formatDateTime(settings.failOpenSetAt) : ""}
            {failOpen.data?.setBy ? ` by ${describeSetter(failOpen.data.setBy)}` : ""}. Watch the fail-open count on the
            overview.
          </Notice>
        ) : null}
        {save.error ? <ErrorNote>{save.error.message}</ErrorNote> : null}
      </div>
      <ConfirmDialog
        open={confirming}
        title="Approve requests without review when authorizers are down?"
        confirmLabel="Switch to fail open"
        confirmVariant="dangerSolid"
        confirmDisabled={!understood}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          save.mutate({ unavailabilityPolicy: "fail_open" });
        }}
      >
        <p>
          With fail open, an outage of your authorizers — or an attacker who can make them unreachable — lets every
          sensitive action through: wipes, refunds, admin grants and wires would execute with nobody having looked at
          them.
        </p>
        <p>
          Each such approval is recorded with the attempts that failed and counted on the overview, and your change is
          recorded with your name.
        </p>
        <CheckboxField
          label="I understand that requests will be approved without review during an outage"
          checked={understood}
          onChange={(e) => setUnderstood(e.target.checked)}
        />
      </ConfirmDialog>
    </Card>
  );
}
