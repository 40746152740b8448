"use client";

import { useMutation, useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card, ErrorNote, Notice } from "@/components/ui/card";
import { SelectField } from "@/components/ui/field";
import { sampleRequests } from "@/lib/console/sample-requests";
import { consoleFetch } from "../shell/api-client";
import { consoleQueries } from "../shell/queries";

interface TestResult {
  targets: string[];
  fallback: boolean;
  fallbackReason?: string;
  message?: string;
  immediate?: string;
  source?: string;
  note?: string;
}

function outcomeOf(result: TestResult): { label: string; tone: "green" | "amber" | "red" | "blue" } {
  if (result.immediate)
    return { label: `decided at once: ${result.immediate}`, tone: result.immediate === "approved" ? "green" : "red" };
  if (result.fallback) return { label: `fallback: ${result.fallbackReason?.replaceAll("_", " ")}`, tone: "amber" };
  return { label: result.source === "no_script" ? "no script: all enabled" : "routed", tone: "blue" };
}

/** Sample → targets for every preset at once: what a change does across the board. */
function AllSamplesTable({
  rows,
  stale,
}: {
  rows: { sample: { id: string; label: string }; result: TestResult }[];
  stale: boolean;
}) {
  return (
    <div className="space-y-1" role="status">
      {stale ? <p className="text-xs text-amber-700">The script changed since this run: test again.</p> : null}
      <div className="overflow-x-auto">
        <table
          className="w-full text-left text-sm"
          aria-label="Routing of every sample"
          data-testid="routing-all-samples"
        >
          <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-2 pr-3 font-medium">
                Sample
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                Targets
              </th>
              <th scope="col" className="py-2 font-medium">
                Outcome
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map(({ sample, result }) => {
              const outcome = outcomeOf(result);
              return (
                <tr key={sample.id} className="align-top">
                  <th scope="row" className="py-2 pr-3 font-medium text-slate-800">
                    {sample.label}
                  </th>
                  <td className="py-2 pr-3">
                    <span className="flex flex-wrap gap-1">
                      {result.targets.length > 0
                        ? result.targets.map((t) => (
                            <Badge key={t} tone="blue">
                              {t}
                            </Badge>
                          ))
                        : "—"}
                    </span>
                  </td>
                  <td className="py-2">
                    <Badge tone={outcome.tone === "blue" ? "slate" : outcome.tone}>{outcome.label}</Badge>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Evaluates the editor's script against a preset or a recent real request, on the server. */
export function TestBench({ script }: { script: string }) {
  const [testedScript, setTestedScript] = useState<string | null>(null);
  const { data: recent } = useSuspenseQuery(consoleQueries.recentRequests());
  const [choice, setChoice] = useState("sample:wipe");
  const realId = choice.startsWith("real:") ? choice.slice(5) : null;
  const real = useQuery({ ...consoleQueries.request(realId ?? ""), enabled: realId !== null });
  const preset = sampleRequests.find((s) => `sample:${s.id}` === choice);
  const sample = preset
    ? { principal: preset.principal, action: preset.action }
    : real.data
      ? { principal: real.data.principal, action: real.data.action }
      : null;
  const run = useMutation({
    mutationFn: () =>
      consoleFetch<TestResult>("/api/console/routing/test", { method: "POST", json: { script, request: sample } }),
  });
  const runAll = useMutation({
    mutationFn: () =>
      Promise.all(
        sampleRequests.map(async (s) => ({
          sample: s,
          result: await consoleFetch<TestResult>("/api/console/routing/test", {
            method: "POST",
            json: { script, request: { principal: s.principal, action: s.action } },
          }),
        })),
      ),
  });
  const options = [
    ...sampleRequests.map((s) => ({ value: `sample:${s.id}`, label: `Sample: ${s.label}` })),
    ...recent.data.map((r) => ({
      value: `real:${r.requestId}`,
      label: `Recent: ${r.summary.slice(0, 70)}${r.summary.length > 70 ? "…" : ""}`,
    })),
  ];
  const result = run.data;
  return (
    <Card title="Test bench" description="What would this script do with this request? Nothing is sent or saved.">
      <div className="space-y-4">
        <div className="flex flex-wrap items-end gap-3">
          <div className="min-w-64 flex-1">
            <SelectField
              label="Sample request"
              value={choice}
              onChange={(e) => {
                setChoice(e.target.value);
                run.reset();
              }}
              options={options}
            />
          </div>
          <Button type="button" variant="secondary" onClick={() => run.mutate()} disabled={!sample || run.isPending}>
            {run.isPending ? "Running…" : "Run test"}
          </Button>
          <Button
            type="button"
            variant="secondary"
            onClick={() => {
              setTestedScript(script);
              runAll.mutate();
            }}
            disabled={runAll.isPending}
          >
            {runAll.isPending ? "Testing…" : "Test against all samples"}
          </Button>
        </div>
        {runAll.error ? <ErrorNote>{runAll.error.message}</ErrorNote> : null}
        {runAll.data ? <AllSamplesTable rows={runAll.data} stale={testedScript !== script} /> : null}
        {sample ? (
          <details className="rounded-lg bg-slate-50 ring-1 ring-slate-200">
            <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-slate-700">
              Request as the script sees it ({(sample.action as { type: string }).type})
            </summary>
            <pre className="max-h-72 overflow-auto border-t border-slate-200 px-3 py-2 text-xs">
              {JSON.stringify(sample, null, 2)}
            </pre>
          </details>
        ) : null}
        {run.error ? <ErrorNote>{run.error.message}</ErrorNote> : null}
        {result ? (
          <div role="status" data-testid="routing-test-result" className="space-y-2">
            {result.immediate ? (
              <Notice
                tone={result.immediate === "approved" ? "green" : "red"}
                title={`Decided at once: ${result.immediate}`}
              >
                The routing script answers without any authorizer (unsigned, marked as such in the audit trail).
              </Notice>
            ) : result.fallback ? (
              <Notice tone="amber" title={`Fallback: ${result.fallbackReason?.replaceAll("_", " ")}`}>
                <p>{result.message}</p>
                <p className="mt-1 flex items-center gap-2">
                  Sent to{" "}
                  {result.targets.map((t) => (
                    <Badge key={t} tone="blue">
                      {t}
                    </Badge>
                  ))}
                </p>
              </Notice>
            ) : (
              <Notice tone="green" title="Routed to">
                <p className="flex flex-wrap items-center gap-2">
                  {result.targets.map((t) => (
                    <Badge key={t} tone="blue">
                      {t}
                    </Badge>
                  ))}
                  {result.source === "no_script" ? (
                    <span className="text-xs">(no script: every enabled authorizer)</span>
                  ) : null}
                </p>
              </Notice>
            )}
            {result.note ? <p className="text-xs text-slate-500">{result.note}</p> : null}
          </div>
        ) : null}
      </div>
    </Card>
  );
}
