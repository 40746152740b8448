"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, EmptyState, ErrorNote, Notice } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-button";
import { SelectField, TextField } from "@/components/ui/field";
import { consoleFetch } from "../shell/api-client";
import { consoleQueries, type InvitationRow } from "../shell/queries";
import { RelativeTime } from "@/components/ui/time";

export const memberRoles = [
  { value: "viewer", label: "Viewer — reads everything" },
  { value: "admin", label: "Admin — configures authorizers and routing" },
  { value: "owner", label: "Owner — also manages members and keys" },
] as const;

/** Owners invite people by e-mail; the single-use link is shown here once, to be passed on. */
export function InvitationsPanel() {
  const queryClient = useQueryClient();
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const pending = useSuspenseQuery(consoleQueries.invitations());
  const refresh = () => queryClient.invalidateQueries({ queryKey: consoleQueries.invitations().queryKey });
  const invite = useMutation({
    mutationFn: (input: Record<string, string>) =>
      consoleFetch<{ invitation: InvitationRow; inviteUrl: string }>("/api/console/members", {
        method: "POST",
        json: input,
      }),
    onSuccess: (created) => {
      setLink({ email: created.invitation.email, url: created.inviteUrl });
      return refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => consoleFetch(`/api/console/invitations/${id}`, { method: "DELETE" }),
    onSuccess: refresh,
  });

  function onInvite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    invite.mutate(Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>);
    event.currentTarget.reset();
  }

  return (
    <div className="space-y-6">
      <Card
        title="Invite a member"
        description="They get a single-use link, valid 7 days: a new person sets their own password, someone with an account accepts while signed in."
      >
        <form onSubmit={onInvite} className="grid gap-4 sm:grid-cols-2">
          <TextField label="Email" name="email" type="email" required />
          <SelectField label="Role" name="role" options={memberRoles} defaultValue="viewer" />
          <div className="sm:col-span-2">
            <Button type="submit" disabled={invite.isPending}>
              Create invitation
            </Button>
          </div>
        </form>
        {invite.error ? (
          <div className="mt-3">
            <ErrorNote>{invite.error.message}</ErrorNote>
          </div>
        ) : null}
        {link ? (
          <div className="mt-4">
            <Notice tone="amber" title={`Send this link to ${link.email} now. It will not be shown again.`}>
              <CopyField label="Copy invitation link" value={link.url} />
            </Notice>
          </div>
        ) : null}
      </Card>
      <Card title="Pending invitations">
        {revoke.error ? <ErrorNote>{revoke.error.message}</ErrorNote> : null}
        {pending.data.data.length === 0 ? <EmptyState title="No pending invitations" /> : null}
        <ul className="divide-y divide-slate-100">
          {pending.data.data.map((invitation) => (
            <li key={invitation.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div>
                <p className="text-sm font-medium">
                  {invitation.email} <Badge>{invitation.role}</Badge>
                </p>
                <p className="text-xs text-slate-500">
                  Expires <RelativeTime value={invitation.expiresAt} />
                </p>
              </div>
              <Button
                type="button"
                variant="danger"
                onClick={() => revoke.mutate(invitation.id)}
                aria-label={`Revoke the invitation of ${invitation.email}`}
              >
                Revoke
              </Button>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
