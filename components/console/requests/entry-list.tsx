import { formatEntryValue } from "@/lib/console/money-format";

interface Entry {
  key: string;
  label: string;
  value: string | Entry[];
}
interface Principal {
  type: string;
  attributes: Entry[];
  operator?: Principal;
}

/** Labelled entries as a definition list; nested groups indent under their label. */
export function EntryList({ entries }: { entries: Entry[] }) {
  if (entries.length === 0) return <p className="text-sm text-slate-500">None.</p>;
  return (
    <dl className="divide-y divide-slate-100 text-sm">
      {entries.map((e) => (
        <div key={e.key} className="grid gap-1 py-2 sm:grid-cols-[12rem_1fr] sm:gap-4">
          <dt className="text-slate-500">
            {e.label} <span className="font-mono text-xs text-slate-500">{e.key}</span>
          </dt>
          <dd className="min-w-0 break-words text-slate-900">
            {typeof e.value === "string" ? (
              formatEntryValue(e.key, e.label, e.value)
            ) : (
              <div className="rounded-md bg-slate-50 px-3 ring-1 ring-slate-100">
                <EntryList entries={e.value} />
              </div>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The principal and who operates it, down the chain. */
export function PrincipalChain({ principal }: { principal: Principal }) {
  const chain: Principal[] = [];
  for (let p: Principal | undefined = principal; p; p = p.operator) chain.push(p);
  return (
    <ol className="space-y-3">
      {chain.map((p, i) => (
        <li key={i} className="relative rounded-lg p-3 ring-1 ring-slate-200">
          <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">
            {i === 0 ? "Principal" : "Operated by"} · <span className="text-brand-700">{p.type}</span>
          </p>
          <EntryList entries={p.attributes} />
        </li>
      ))}
    </ol>
  );
}

/** "Name <email>" of a reviewer from its attributes, whatever it carries. */
export function reviewerLabel(reviewer: { type: string; attributes: Entry[] }): string {
  const value = (key: string) =>
    reviewer.attributes.find((a) => a.key === key && typeof a.value === "string")?.value as string | undefined;
  const name = value("name");
  const email = value("email");
  if (name && email) return `${name} <${email}>`;
  return (
    name ??
    email ??
    reviewer.attributes.map((a) => (typeof a.value === "string" ? a.value : a.label)).join(", ") ??
    reviewer.type
  );
}
