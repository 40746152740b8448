import type { RoutingField } from "@/lib/console/routing-reference";
import { Card } from "@/components/ui/card";

/** What a script's answer means, and every field it can read (the list comes from the schemas). */
export function RoutingReference({ fields }: { fields: RoutingField[] }) {
  return (
    <Card title="How routing works" description="The script runs once per request, before anything is sent.">
      <div className="space-y-4 text-sm text-slate-700">
        <dl className="space-y-2" aria-label="What the script returns">
          <div>
            <dt className="font-medium text-slate-900">
              <code>[&quot;security&quot;, &quot;finance&quot;]</code> — a list of names
            </dt>
            <dd>
              The request is sent to <strong>every</strong> named authorizer at once. The <strong>first</strong> valid
              signed decision wins, whether it approves or denies; the request is then cancelled at the others.
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-900">
              <code>[&quot;$approve&quot;]</code> or <code>[&quot;$deny&quot;]</code>
            </dt>
            <dd>Decided at once without any authorizer; recorded as unsigned.</dd>
          </div>
          <div>
            <dt className="font-medium text-slate-900">Anything else</dt>
            <dd>
              An error, an empty list, an unknown name, or a <code>$</code> token mixed with names: the request goes to
              the default authorizer, and the fallback is logged.
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-900">No script</dt>
            <dd>Every enabled authorizer is asked; the first decision wins.</dd>
          </div>
        </dl>
        <div>
          <h3 className="font-medium text-slate-900">Fields the script can read</h3>
          <p className="text-xs text-slate-500">
            Labelled lists (attributes, details) become maps by their keys. Optional fields may be absent: test them
            with <code>has()</code>.
          </p>
          <div className="mt-2 overflow-x-auto">
            <table className="w-full text-left text-xs" aria-label="Fields of request and config">
              <thead className="text-slate-500">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    Field
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    Type and notes
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {fields.map((f) => (
                  <tr key={f.path} className="align-top">
                    <td className="py-1.5 pr-3 font-mono text-slate-900">{f.path}</td>
                    <td className="py-1.5 text-slate-600">
                      <span className="font-mono">{f.type}</span>
                      {f.required ? "" : " (optional)"}
                      {f.note ? <span className="block">{f.note}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </Card>
  );
}
