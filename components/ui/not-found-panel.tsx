import Link from "next/link";
import { Logo } from "./logo";

/** What a missing page or record shows: what happened, and links back to where work goes on. */
export function NotFoundPanel({
  backHref = "/",
  backLabel = "Back to the overview",
}: {
  backHref?: string;
  backLabel?: string;
}) {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <Logo className="mx-auto mb-4 size-12" />
      <p className="text-sm font-semibold text-brand-700">404</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight text-slate-900">Not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        There is nothing at this address in your tenant. The link may be mistyped, or the request, authorizer or key it
        pointed to belongs to another tenant or no longer exists.
      </p>
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        <Link
          href={backHref}
          className="rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-on-accent hover:bg-brand-800"
        >
          {backLabel}
        </Link>
        <Link
          href="/requests"
          className="rounded-md px-3.5 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
        >
          Search requests
        </Link>
      </div>
    </div>
  );
}
