"use client";

import Link from "next/link";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, ErrorNote } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { consoleFetch } from "../shell/api-client";
import { memberRoles } from "./invitations-panel";

export interface MemberRow {
  userId: string;
  email: string;
  name: string;
  role: "owner" | "admin" | "viewer";
  createdAt: string;
}

export const membersQueryKey = ["members"] as const;
const roles = memberRoles;

export function MembersPanel({ canManage, currentUserId }: { canManage: boolean; currentUserId: string }) {
  const queryClient = useQueryClient();
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const members = useSuspenseQuery({ queryKey: membersQueryKey, queryFn: () => consoleFetch<{ data: MemberRow[] }>("/api/console/members") });
  const refresh = () => queryClient.invalidateQueries({ queryKey: membersQueryKey });
  const changeRole = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: string }) => consoleFetch(`/api/console/members/${userId}`, { method: "PATCH", json: { role } }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (userId: string) => consoleFetch(`/api/console/members/${userId}`, { method: "DELETE" }),
    onSuccess: refresh,
  });

  const error = changeRole.error ?? remove.error;

  return (
    <div className="space-y-6">
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
          <p>
            They lose access to this tenant at once. Their past changes stay in the{" "}
            <Link href={`/audit?actor=${encodeURIComponent(removing?.email ?? "")}`} className="font-medium text-brand-700 underline">audit log</Link>, under their name.
          </p>
        </ConfirmDialog>
      </Card>
    </div>
  );
}
