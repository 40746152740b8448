"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, ErrorNote, Notice } from "@/components/ui/card";
import { consoleFetch } from "@/components/console/shell/api-client";
import { consoleQueries, type ConsoleQueryData } from "@/components/console/shell/queries";

type Rule = ConsoleQueryData<"sandboxPolicy">["defaults"][number];
const tone = { approve: "green", deny: "red", review: "amber" } as const;

/** One registration's ordered rules: a readable table, and a JSON editor for admins. */
function RegistrationPolicy({
  spId,
  name,
  rules,
  canEdit,
}: {
  spId: string;
  name: string;
  rules: Rule[];
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (next: Rule[]) =>
      consoleFetch("/api/console/sandbox/policy", { method: "PUT", json: { spId, rules: next } }),
    onSuccess: () => {
      setDraft(null);
      setSaved(true);
      void queryClient.invalidateQueries({ queryKey: consoleQueries.sandboxPolicy().queryKey });
    },
  });
  const parseError = (() => {
    if (draft === null) return null;
    try {
      JSON.parse(draft);
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  })();
  return (
    <Card
      title={name}
      description={
        <span>
          Requests from <code>{spId}</code>. Rules run top to bottom; the first that is true decides; no match means one
          reviewer.
        </span>
      }
      actions={
        canEdit && draft === null ? (
          <Button
            variant="secondary"
            onClick={() => {
              setSaved(false);
              setDraft(JSON.stringify(rules, null, 2));
            }}
          >
            Edit rules
          </Button>
        ) : null
      }
    >
      {saved && draft === null ? (
        <div className="mb-3">
          <Notice tone="green">Rules saved. New requests from {spId} are decided by them.</Notice>
        </div>
      ) : null}
      {draft === null ? (
        <ol className="divide-y divide-slate-100">
          {rules.map((rule, i) => (
            <li key={`${rule.name}-${i}`} className="flex items-start justify-between gap-3 py-3">
              <div className="min-w-0 flex-1">
                <p className="text-sm font-medium">
                  {i + 1}. {rule.name}
                </p>
                <code className="mt-1 block break-all text-xs text-slate-600">{rule.when}</code>
              </div>
              <Badge tone={tone[rule.outcome]}>
                {rule.outcome}
                {rule.quorum ? ` · ${rule.quorum} reviewers` : ""}
              </Badge>
            </li>
          ))}
          {rules.length === 0 ? (
            <li className="py-3 text-sm text-slate-500">No rules: every request waits for one reviewer.</li>
          ) : null}
        </ol>
      ) : (
        <div className="space-y-3">
          <label htmlFor={`rules-${spId}`} className="block text-sm font-medium text-slate-700">
            Rules (JSON: name, when, outcome approve | deny | review, optional quorum)
          </label>
          <textarea
            id={`rules-${spId}`}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            rows={14}
            spellCheck={false}
            className="block w-full rounded-md px-3 py-2 font-mono text-xs ring-1 ring-slate-300 focus:ring-2 focus:ring-brand-500"
          />
          {parseError ? <ErrorNote>Not valid JSON: {parseError}</ErrorNote> : null}
          {save.error ? <ErrorNote>{save.error.message}</ErrorNote> : null}
          <div className="flex gap-2">
            <Button
              disabled={Boolean(parseError) || save.isPending}
              onClick={() => save.mutate(JSON.parse(draft) as Rule[])}
            >
              Save rules
            </Button>
            <Button variant="secondary" onClick={() => setDraft(null)}>
              Cancel
            </Button>
          </div>
        </div>
      )}
    </Card>
  );
}

export function PolicyEditor({ canEdit }: { canEdit: boolean }) {
  const policy = useQuery(consoleQueries.sandboxPolicy());
  if (policy.error) return <ErrorNote>{policy.error.message}</ErrorNote>;
  if (!policy.data) return <p className="text-sm text-slate-500">Loading…</p>;
  if (policy.data.data.length === 0)
    return <p className="text-sm text-slate-500">No service is registered with the sandbox for this tenant yet.</p>;
  return (
    <div className="space-y-6">
      {policy.data.data.map((r) => (
        <RegistrationPolicy key={r.spId} {...r} canEdit={canEdit} />
      ))}
    </div>
  );
}
