import type { ReactNode } from "react";
import Link from "next/link";
import { Badge } from "@/components/ui/card";
import { QueryProvider } from "@/components/console/shell/query-provider";
import { getDb } from "@/db/client";
import { listMembershipsOfUser } from "@/db/queries/users";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { signOutAction } from "../../(console)/actions";

// The sandbox authorizer's own pages: a separate product surface, signed in with the same accounts.
export default async function SandboxLayout({ children }: { children: ReactNode }) {
  const { ctx, user } = await requireConsoleContext();
  const current = (await listMembershipsOfUser(getDb(), user.id)).find((m) => m.tenantId === ctx.tenantId);
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-800 bg-slate-900 text-slate-50">
        <div className="mx-auto flex max-w-4xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div className="flex min-w-0 items-center gap-3">
            <div
              className="flex size-8 items-center justify-center rounded-lg bg-emerald-500 text-sm font-bold text-slate-900"
              aria-hidden
            >
              ✓
            </div>
            <div>
              <p className="text-sm leading-tight font-semibold">Sandbox authorizer</p>
              <p className="text-xs text-slate-400">Reviewing for {current?.tenantName ?? "your organisation"}</p>
            </div>
          </div>
          <div className="flex items-center gap-3 text-sm">
            <span className="hidden text-slate-300 sm:inline">
              {user.name} · {user.email}
            </span>
            {current ? <Badge tone="blue">{current.role}</Badge> : null}
            <Link href="/" className="rounded-md px-2 py-1 text-slate-300 hover:bg-slate-800 hover:text-slate-50">
              Gateway console
            </Link>
            <form action={signOutAction}>
              <button
                type="submit"
                className="rounded-md px-2 py-1 text-slate-300 hover:bg-slate-800 hover:text-slate-50"
              >
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-4xl px-4 py-8">
        <QueryProvider>{children}</QueryProvider>
      </main>
    </div>
  );
}
