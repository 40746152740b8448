"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, ErrorNote } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { consoleFetch } from "../shell/api-client";

export interface MemberRow {
  userId: string;
  email: string;
  name: string;
  role: "owner" | "admin" | "viewer";
  createdAt: string;
}

export const membersQueryKey = ["members"] as const;
const roles = [
  { value: "viewer", label: "Viewer — reads everything" },
  { value: "admin", label: "Admin — configures authorizers and routing" },
  { value: "owner", label: "Owner — also manages members and keys" },
] as const;

export function MembersPanel({ canManage, currentUserId }: { canManage: boolean; currentUserId: string }) {
  const queryClient = useQueryClient();
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const members = useSuspenseQuery({ queryKey: membersQueryKey, queryFn: () => consoleFetch<{ data: MemberRow[] }>("/api/console/members") });
  const refresh = () => queryClient.invalidateQueries({ queryKey: membersQueryKey });
  const add = useMutation({
    mutationFn: (input: Record<string, string>) => consoleFetch("/api/console/members", { method: "POST", json: input }),
    onSuccess: refresh,
  });
  const changeRole = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: string }) => consoleFetch(`/api/console/members/${userId}`, { method: "PATCH", json: { role } }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (userId: string) => consoleFetch(`/api/console/members/${userId}`, { method: "DELETE" }),
    onSuccess: refresh,
  });

  function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    add.mutate(Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>);
    event.currentTarget.reset();
  }
  const error = add.error ?? changeRole.error ?? remove.error;

  return (
    <div className="space-y-6">
      {canManage ? (
        <Card title="Add a member" description="New people get an account with the initial password you set; share it with them out of band.">
          <form onSubmit={onAdd} className="grid gap-4 sm:grid-cols-2">
            <TextField label="Name" name="name" required maxLength={200} />
            <TextField label="Email" name="email" type="email" required />
            <SelectField label="Role" name="role" options={roles} defaultValue="viewer" />
            <TextField label="Initial password" name="initialPassword" type="password" minLength={12} required hint="At least 12 characters." />
            <div className="sm:col-span-2"><Button type="submit" disabled={add.isPending}>Add member</Button></div>
          </form>
        </Card>
      ) : null}
      {error ? <ErrorNote>{error.message}</ErrorNote> : null}
      <Card title="Members">
        <ul className="divide-y divide-slate-100">
          {members.data.data.map((member) => (
            <li key={member.userId} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div>
                <p className="text-sm font-medium">{member.name}{member.userId === currentUserId ? " (you)" : ""}</p>
                <p className="text-xs text-slate-500">{member.email}</p>
              </div>
              {canManage ? (
                <div className="flex items-center gap-2">
                  <label className="sr-only" htmlFor={`role-${member.userId}`}>Role of {member.name}</label>
                  <select
                    id={`role-${member.userId}`}
                    value={member.role}
                    onChange={(e) => changeRole.mutate({ userId: member.userId, role: e.target.value })}
                    className="rounded-md border-0 bg-white py-1.5 pl-2 pr-8 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-brand-500"
                  >
                    {roles.map((r) => <option key={r.value} value={r.value}>{r.value}</option>)}
                  </select>
                  <Button type="button" variant="danger" onClick={() => setRemoving(member)} aria-label={`Remove ${member.name}`}>Remove</Button>
                </div>
              ) : (
                <Badge tone={member.role === "owner" ? "blue" : member.role === "admin" ? "violet" : "slate"}>{member.role}</Badge>
              )}
            </li>
          ))}
        </ul>
        <ConfirmDialog
          open={removing !== null}
          title={`Remove ${removing?.name ?? ""}?`}
          confirmLabel="Remove member"
          confirmVariant="dangerSolid"
          onCancel={() => setRemoving(null)}
          onConfirm={() => { if (removing) remove.mutate(removing.userId); setRemoving(null); }}
        >
          <p>They lose access to this tenant at once. Their past changes stay in the audit log.</p>
        </ConfirmDialog>
      </Card>
    </div>
  );
}
