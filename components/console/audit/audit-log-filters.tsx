import Form from "next/form";
import { Button, LinkButton } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";

const ranges = [
  { value: "", label: "All time" },
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
];
const exportLink =
  "inline-flex items-center rounded-md px-3 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50";

/** The audit log's filters: a GET form, so every filtered view is a shareable URL; exports take the same filters. */
export function AuditLogFilters({
  filters,
  kinds,
}: {
  filters: Record<string, string>;
  kinds: { value: string; label: string }[];
}) {
  const query = new URLSearchParams(filters).toString();
  return (
    <Form
      action="/audit"
      className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200"
      aria-label="Filter audit events"
    >
      <div className="grid gap-3 sm:grid-cols-3">
        <SelectField
          label="What changed"
          name="kind"
          defaultValue={filters.kind ?? ""}
          options={[{ value: "", label: "Everything" }, ...kinds]}
        />
        <TextField
          label="Who"
          name="actor"
          type="search"
          defaultValue={filters.actor}
          placeholder="name, e-mail or API key"
        />
        <SelectField label="When" name="range" defaultValue={filters.range ?? ""} options={ranges} />
      </div>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-2">
        <div className="flex gap-2">
          <Button type="submit">Apply filters</Button>
          <LinkButton href="/audit" variant="ghost">
            Clear
          </LinkButton>
        </div>
        <div className="flex gap-2">
          <a
            className={exportLink}
            href={`/api/console/audit-events/export?format=csv${query ? `&${query}` : ""}`}
            download
          >
            Export CSV
          </a>
          <a
            className={exportLink}
            href={`/api/console/audit-events/export?format=jsonl${query ? `&${query}` : ""}`}
            download
          >
            Export JSON Lines
          </a>
        </div>
      </div>
    </Form>
  );
}
