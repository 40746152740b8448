"use client";

import Link from "next/link";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, ErrorNote, Notice } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { consoleFetch } from "../shell/api-client";
import { consoleQueries, type MemberRow } from "../shell/queries";
import { memberRoles } from "./invitations-panel";

const roles = memberRoles;

export function MembersPanel({ canManage, currentUserId }: { canManage: boolean; currentUserId: string }) {
  const queryClient = useQueryClient();
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const [changing, setChanging] = useState<{ member: MemberRow; role: MemberRow["role"] } | null>(null);
  const members = useSuspenseQuery(consoleQueries.members());
  const refresh = () => queryClient.invalidateQueries({ queryKey: consoleQueries.members().queryKey });
  const [done, setDone] = useState<string | null>(null);
  const nameOf = (userId: string) => members.data.data.find((m) => m.userId === userId)?.name ?? "The member";
  const changeRole = useMutation({
    // The dialog is the confirmation: the e-mail goes along as the server's confirmEmail (ownership changes need it).
    mutationFn: ({ userId, role, email }: { userId: string; role: string; email: string }) =>
      consoleFetch(`/api/console/members/${userId}`, { method: "PATCH", json: { role, confirmEmail: email } }),
    onMutate: () => setDone(null),
    onSuccess: (_, { userId, role }) => {
      setDone(`${nameOf(userId)} is now ${role === "admin" ? "an" : "a"} ${role}.`);
      return refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (userId: string) => consoleFetch(`/api/console/members/${userId}`, { method: "DELETE" }),
    onMutate: () => setDone(null),
    onSuccess: (_, userId) => {
      setDone(`${nameOf(userId)} was removed from this tenant.`);
      return refresh();
    },
  });

  const error = changeRole.error ?? remove.error;

  return (
    <div className="space-y-6">
      {error ? <ErrorNote>{error.message}</ErrorNote> : null}
      {done && !error ? <Notice tone="green">{done}</Notice> : null}
      <Card title="Members">
        <ul className="divide-y divide-slate-100">
          {members.data.data.map((member) => (
            <li key={member.userId} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div>
                <p className="text-sm font-medium">
                  {member.name}
                  {member.userId === currentUserId ? " (you)" : ""}
                </p>
                <p className="text-xs text-slate-500">{member.email}</p>
              </div>
              {canManage ? (
                <div className="flex items-center gap-2">
                  <label className="sr-only" htmlFor={`role-${member.userId}`}>
                    Role of {member.name}
                  </label>
                  <select
                    id={`role-${member.userId}`}
                    value={member.role}
                    onChange={(e) => setChanging({ member, role: e.target.value as MemberRow["role"] })}
                    className="rounded-md border-0 bg-white py-1.5 pl-2 pr-8 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-brand-500"
                  >
                    {roles.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.value}
                      </option>
                    ))}
                  </select>
                  <Button
                    type="button"
                    variant="danger"
                    onClick={() => setRemoving(member)}
                    aria-label={`Remove ${member.name}`}
                  >
                    Remove
                  </Button>
                </div>
              ) : (
                <Badge tone={member.role === "owner" ? "blue" : member.role === "admin" ? "violet" : "slate"}>
                  {member.role}
                </Badge>
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
          onConfirm={() => {
            if (removing) remove.mutate(removing.userId);
            setRemoving(null);
          }}
        >
          <p>
            They lose access to this tenant at once. Their past changes stay in the{" "}
            <Link
              href={`/audit?actor=${encodeURIComponent(removing?.email ?? "")}`}
              className="font-medium text-brand-700 underline"
            >
              audit log
            </Link>
            , under their name.
          </p>
        </ConfirmDialog>
        <ConfirmDialog
          open={changing !== null}
          title={
            changing
              ? `Make ${changing.member.name} ${changing.role === "owner" ? "an owner" : `a${changing.role === "admin" ? "n" : ""} ${changing.role}`}?`
              : ""
          }
          confirmLabel={changing?.role === "owner" ? "Make owner" : "Change role"}
          confirmVariant={
            changing && (changing.role === "owner" || changing.member.role === "owner") ? "dangerSolid" : "primary"
          }
          onCancel={() => setChanging(null)}
          onConfirm={() => {
            if (changing)
              changeRole.mutate({ userId: changing.member.userId, role: changing.role, email: changing.member.email });
            setChanging(null);
          }}
        >
          {changing ? <RoleChangeConsequences member={changing.member} role={changing.role} /> : null}
        </ConfirmDialog>
      </Card>
    </div>
  );
}

const roleAbilities: Record<MemberRow["role"], string> = {
  viewer: "read everything, change nothing",
  admin: "configure authorizers, routing and settings, and submit and cancel requests",
  owner: "do everything, including managing members, API keys and signing keys — and removing other owners",
};

/** What a role change grants or takes away, said before it happens. */
function RoleChangeConsequences({ member, role }: { member: MemberRow; role: MemberRow["role"] }) {
  return (
    <>
      <p>
        <strong>{member.name}</strong> ({member.email}) goes from <strong>{member.role}</strong> to{" "}
        <strong>{role}</strong>, at once: they will {roleAbilities[role]}.
      </p>
      {role === "owner" ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800 ring-1 ring-red-200">
          An owner has full control of the tenant: they can mint API keys, retire signing keys and remove you.
        </p>
      ) : null}
      {member.role === "owner" ? <p>They lose the management of members, API keys and signing keys.</p> : null}
    </>
  );
}
