"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Suspense, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, ErrorNote, Notice, WidgetSkeleton } from "@/components/ui/card";
import { consoleFetch } from "../shell/api-client";
import { consoleQueries } from "../shell/queries";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { RoutingField } from "@/lib/console/routing-reference";
import { CodeEditor } from "./code-editor";
import { RoutingReference } from "./routing-reference";
import { RoutingVersions } from "./routing-versions";
import { useUnsavedGuard } from "./use-unsaved-guard";
import { TestBench } from "./test-bench";
import { useScriptCheck } from "./use-script-check";

const example = `// Return a list of authorizer names, or ["$approve"] / ["$deny"].
request.action.category == "financial.transfer" ? ["finance"] : ["default"]`;

/**
 * The CEL editor (checked on the server as you type), what its answer means and the fields it can
 * read, the test bench, Save (valid scripts only) and the saved versions. Unsaved edits are guarded.
 */
export function RoutingWorkbench({ canWrite, fields }: { canWrite: boolean; fields: RoutingField[] }) {
  const queryClient = useQueryClient();
  const { data: settings } = useSuspenseQuery(consoleQueries.settings());
  const saved = settings.routingScript ?? "";
  const [script, setScript] = useState(saved);
  const check = useScriptCheck(script);
  const save = useMutation({
    mutationFn: () =>
      consoleFetch("/api/console/settings", {
        method: "PUT",
        json: { routingScript: script.trim() === "" ? null : script },
      }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: consoleQueries.settings().queryKey }),
        queryClient.invalidateQueries({ queryKey: consoleQueries.routingVersions().queryKey }),
      ]),
  });
  const dirty = canWrite && script !== saved;
  const guard = useUnsavedGuard(dirty);
  const status = check.checking
    ? "Checking…"
    : check.valid
      ? script.trim() === ""
        ? "No script: requests go to every enabled authorizer."
        : "Valid script."
      : `${check.issues.length} problem${check.issues.length === 1 ? "" : "s"}`;

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <div className="space-y-6">
        <Card
          title="Routing script"
          description={
            <>
              A CEL expression over <code>request</code> and <code>config</code> that returns a list of authorizer
              names: the request goes to <strong>all</strong> of them and the <strong>first decision wins</strong>.
              Invalid or failing scripts fall back to the default authorizer.
            </>
          }
          actions={
            canWrite ? (
              <Button
                type="button"
                onClick={() => save.mutate()}
                disabled={!dirty || !check.valid || check.checking || save.isPending}
              >
                {save.isPending ? "Saving…" : "Save script"}
              </Button>
            ) : null
          }
        >
          <label htmlFor="routing-script" className="sr-only">
            Routing script
          </label>
          <CodeEditor
            id="routing-script"
            value={script}
            onChange={(v) => {
              setScript(v);
              save.reset();
            }}
            issues={check.issues}
            readOnly={!canWrite}
            describedBy="routing-script-status"
          />
          <div id="routing-script-status" className="mt-3 space-y-2" aria-live="polite">
            <p
              className={`text-sm ${check.valid ? "text-emerald-700" : check.checking ? "text-slate-500" : "text-red-700"}`}
            >
              {status}
            </p>
            {check.issues.length > 0 ? (
              <ul className="space-y-1" data-testid="routing-issues">
                {check.issues.map((i, n) => (
                  <li key={n} className="rounded-md bg-red-50 px-3 py-1.5 text-sm text-red-800 ring-1 ring-red-200">
                    <span className="font-semibold">
                      Line {i.line}, column {i.column}:
                    </span>{" "}
                    {i.message} <span className="font-mono text-xs text-red-600">({i.code})</span>
                  </li>
                ))}
              </ul>
            ) : null}
            {check.error ? <ErrorNote>{check.error.message}</ErrorNote> : null}
            {save.error ? <ErrorNote>{save.error.message}</ErrorNote> : null}
            {save.isSuccess && !dirty ? (
              <Notice tone="green">Saved. New requests are routed with this script.</Notice>
            ) : null}
            {dirty ? (
              <p className="text-xs font-medium text-amber-700" data-testid="routing-unsaved">
                Unsaved changes: leaving or reloading this page asks first.
              </p>
            ) : null}
            {script.trim() === "" && canWrite ? (
              <p className="text-xs text-slate-500">
                Example: <code className="whitespace-pre-wrap">{example}</code>
              </p>
            ) : null}
          </div>
        </Card>
        <Suspense fallback={<WidgetSkeleton title="Test bench" />}>
          <TestBench script={script} />
        </Suspense>
      </div>
      <div className="space-y-6">
        <RoutingReference fields={fields} />
        <Suspense fallback={<WidgetSkeleton title="Saved versions" />}>
          <RoutingVersions
            current={saved}
            canWrite={canWrite}
            onRestored={(restored) => {
              setScript(restored);
              save.reset();
            }}
          />
        </Suspense>
      </div>
      {/* Mounted only while asking: every ConfirmDialog titles itself with the same element id. */}
      {guard.pendingHref !== null ? (
        <ConfirmDialog
          open
          title="Leave without saving the routing script?"
          confirmLabel="Leave without saving"
          confirmVariant="dangerSolid"
          onCancel={guard.stay}
          onConfirm={guard.leave}
        >
          <p>
            Your edits to the routing script are not saved. New requests keep being routed with the saved script; the
            edits are lost.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
