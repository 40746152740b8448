import { formatEntryValue } from "@/lib/console/money-format";
import type { EntryView } from "./types";

function Rows({ entries, depth }: { entries: EntryView[]; depth: number }) {
  return (
    <>
      {entries.map((entry) =>
        typeof entry.value === "string" ? (
          <tr key={`${depth}-${entry.key}`} className="border-t border-slate-100">
            <th
              scope="row"
              className="w-1/3 py-2 pr-4 text-left align-top text-sm font-medium text-slate-600"
              style={{ paddingLeft: `${depth * 1}rem` }}
            >
              {entry.label}
            </th>
            <td className="py-2 text-sm break-words text-slate-900">
              {formatEntryValue(entry.key, entry.label, entry.value)}
            </td>
          </tr>
        ) : (
          <GroupRows key={`${depth}-${entry.key}`} entry={entry as EntryView & { value: EntryView[] }} depth={depth} />
        ),
      )}
    </>
  );
}

function GroupRows({ entry, depth }: { entry: EntryView & { value: EntryView[] }; depth: number }) {
  return (
    <>
      <tr className="border-t border-slate-100">
        <th
          scope="rowgroup"
          colSpan={2}
          className="pt-3 pb-1 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase"
          style={{ paddingLeft: `${depth * 1}rem` }}
        >
          {entry.label}
        </th>
      </tr>
      <Rows entries={entry.value} depth={depth + 1} />
    </>
  );
}

/** The action's labeled details as a readable two-column table; nested groups are indented. */
export function DetailsTable({ details, caption }: { details: EntryView[] | undefined; caption: string }) {
  if (!details || details.length === 0) return <p className="text-sm text-slate-500">No further details were sent.</p>;
  return (
    <table className="w-full table-fixed">
      <caption className="sr-only">{caption}</caption>
      <tbody>
        <Rows entries={details} depth={0} />
      </tbody>
    </table>
  );
}
