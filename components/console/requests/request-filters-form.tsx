"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { LinkButton, Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { consoleQueries } from "../shell/queries";

const statuses = ["", "pending", "approved", "denied", "expired", "cancelled"];
const principalTypes = ["", "human", "service", "agent"];
const ranges = [
  { value: "", label: "All time" },
  { value: "1h", label: "Last hour" },
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
];
const categories = [
  "data.read",
  "data.export",
  "data.delete",
  "identity.escalate",
  "infra.destroy",
  "financial.transfer",
];
const option = (value: string, any: string) => ({ value, label: value === "" ? any : value });

/** The filter form's fields as a query string, without the empty ones (`?q=&status=` says nothing). */
export function filterQuery(form: FormData): string {
  const params = new URLSearchParams();
  for (const [key, value] of form.entries())
    if (typeof value === "string" && value.trim() !== "") params.set(key, value.trim());
  return params.toString();
}

/**
 * The audit trail's filters: every filtered view is a shareable URL that carries only the filters
 * in use. On a phone the fields fold away behind one "Filters" button.
 */
export function RequestFiltersForm({ filters }: { filters: Record<string, string> }) {
  const router = useRouter();
  const { data: authorizers } = useSuspenseQuery(consoleQueries.authorizers());
  const [open, setOpen] = useState(false);
  const exportQuery = new URLSearchParams(filters).toString();
  const activeCount = Object.keys(filters).length;
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const query = filterQuery(new FormData(event.currentTarget));
    setOpen(false);
    router.push(query ? `/requests?${query}` : "/requests");
  }
  return (
    <form
      action="/requests"
      method="get"
      onSubmit={onSubmit}
      className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200"
      aria-label="Filter requests"
    >
      <button
        type="button"
        aria-expanded={open}
        aria-controls="request-filter-fields"
        onClick={() => setOpen(!open)}
        className="flex w-full items-center justify-between text-sm font-medium text-slate-700 sm:hidden"
      >
        <span>Filters{activeCount > 0 ? ` (${activeCount} active)` : ""}</span>
        <span aria-hidden>{open ? "▴" : "▾"}</span>
      </button>
      <div id="request-filter-fields" className={open ? "mt-3 sm:mt-0" : "hidden sm:block"}>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <div className="sm:col-span-2">
            <TextField
              label="Search summary or external ID"
              name="q"
              type="search"
              defaultValue={filters.q}
              placeholder="e.g. MacBook, ORD-55912"
            />
          </div>
          <SelectField
            label="Status"
            name="status"
            defaultValue={filters.status ?? ""}
            options={statuses.map((s) => option(s, "Any status"))}
          />
          <SelectField label="Time range" name="range" defaultValue={filters.range ?? ""} options={ranges} />
          <TextField
            label="Action type"
            name="actionType"
            defaultValue={filters.actionType}
            placeholder="device.wipe"
          />
          <TextField
            label="Category"
            name="category"
            defaultValue={filters.category}
            placeholder="infra.destroy"
            list="request-categories"
          />
          <datalist id="request-categories">
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <SelectField
            label="Principal type"
            name="principalType"
            defaultValue={filters.principalType ?? ""}
            options={principalTypes.map((s) => option(s, "Any principal"))}
          />
          <SelectField
            label="Authorizer"
            name="authorizer"
            defaultValue={filters.authorizer ?? ""}
            options={[option("", "Any authorizer"), ...authorizers.data.map((a) => option(a.name, ""))]}
          />
        </div>
        <div className="mt-4 flex flex-wrap items-center justify-between gap-2">
          <div className="flex gap-2">
            <Button type="submit">Apply filters</Button>
            <LinkButton href="/requests" variant="ghost">
              Clear
            </LinkButton>
          </div>
          <div className="flex gap-2">
            <a
              className="inline-flex items-center rounded-md px-3 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
              href={`/api/console/requests/export?format=csv${exportQuery ? `&${exportQuery}` : ""}`}
              download
            >
              Export CSV
            </a>
            <a
              className="inline-flex items-center rounded-md px-3 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
              href={`/api/console/requests/export?format=jsonl${exportQuery ? `&${exportQuery}` : ""}`}
              download
            >
              Export JSON Lines
            </a>
          </div>
        </div>
      </div>
    </form>
  );
}
