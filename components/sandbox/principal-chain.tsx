import type { EntryView, PrincipalView } from "./types";

const typeLabel = { human: "Human", service: "Service", agent: "AI agent" } as const;
const typeTone = {
  human: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  service: "bg-slate-100 text-slate-700 ring-slate-500/20",
  agent: "bg-violet-50 text-violet-800 ring-violet-600/20",
} as const;

function flatText(value: EntryView["value"]): string {
  return typeof value === "string" ? value : value.map((v) => `${v.label}: ${flatText(v.value)}`).join(", ");
}

function chainOf(principal: PrincipalView): PrincipalView[] {
  const chain: PrincipalView[] = [];
  for (let p: PrincipalView | undefined = principal; p; p = p.operator) chain.push(p);
  return chain;
}

/** Who is asking, and who is behind them: agent → operator human, left to right. */
export function PrincipalChain({ principal }: { principal: PrincipalView }) {
  const chain = chainOf(principal);
  return (
    <ol aria-label="Principal chain" className="flex flex-wrap items-stretch gap-2">
      {chain.map((p, index) => {
        const name = p.attributes.find((a) => a.key === "name");
        const rest = p.attributes.filter((a) => a !== name);
        return (
          <li key={index} className="flex items-center gap-2">
            {index > 0 ? (
              <span aria-label="operated by" className="text-slate-400">
                →
              </span>
            ) : null}
            <div className="rounded-lg bg-white px-3 py-2 ring-1 ring-slate-200">
              <div className="flex items-center gap-2">
                <span
                  className={`rounded-full px-2 py-0.5 text-[11px] font-semibold uppercase tracking-wide ring-1 ring-inset ${typeTone[p.type]}`}
                >
                  {typeLabel[p.type]}
                </span>
                <span className="text-sm font-medium text-slate-900">{name ? flatText(name.value) : "Unnamed"}</span>
              </div>
              {rest.length > 0 ? (
                <p className="mt-1 text-xs text-slate-500">
                  {rest.map((a) => `${a.label}: ${flatText(a.value)}`).join(" · ")}
                </p>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
