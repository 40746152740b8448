/** One line of a diff: kept, removed (old script only) or added (new script only). */
interface DiffLine {
  kind: "same" | "removed" | "added";
  text: string;
}

// A line diff by longest common subsequence (removed lines before added ones, as unified diffs show them): scripts are at most 4 KiB, so the table stays small.
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before === "" ? [] : before.split("\n");
  const b = after === "" ? [] : after.split("\n");
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ kind: "same", text: a[i]! });
      i += 1;
      j += 1;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!))
      lines.push({ kind: "removed", text: a[i++]! });
    else lines.push({ kind: "added", text: b[j++]! });
  }
  return lines;
}

const styles = {
  same: "text-slate-600",
  removed: "bg-red-50 text-red-800",
  added: "bg-green-50 text-green-800",
} as const;
const marks = { same: " ", removed: "-", added: "+" } as const;

/** The routing script before and after a change, as a unified line diff. */
export function ScriptDiff({ before, after }: { before: string | null; after: string | null }) {
  const lines = diffLines(before ?? "", after ?? "");
  return (
    <pre
      className="mt-2 max-w-full overflow-x-auto rounded-md bg-slate-50 py-2 text-xs ring-1 ring-slate-200"
      aria-label="Routing script diff"
    >
      {lines.length === 0 ? <span className="px-3 text-slate-500">(both empty)</span> : null}
      {lines.map((line, index) => (
        <span key={index} className={`block px-3 ${styles[line.kind]}`}>
          <span aria-hidden className="select-none pr-2">
            {marks[line.kind]}
          </span>
          <span className="sr-only">{line.kind === "same" ? "" : `${line.kind}: `}</span>
          {line.text}
        </span>
      ))}
    </pre>
  );
}
