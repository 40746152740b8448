import { Suspense, type ReactNode } from "react";
import { Badge } from "@/components/ui/card";
import { Logo } from "@/components/ui/logo";
import { ConsoleNav } from "@/components/console/shell/console-nav";
import { FailOpenBanner } from "@/components/console/shell/fail-open-banner";
import { Prefetch } from "@/components/console/shell/prefetch";
import { QueryProvider } from "@/components/console/shell/query-provider";
import { TenantSwitcher } from "@/components/console/shell/tenant-switcher";
import { getDb } from "@/db/client";
import { listMembershipsOfUser } from "@/db/queries/users";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { signOutAction } from "./actions";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { ctx, user } = await requireConsoleContext();
  const memberships = await listMembershipsOfUser(getDb(), user.id);
  const current = memberships.find((m) => m.tenantId === ctx.tenantId);
  return (
    <QueryProvider>
      <div className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow"
        >
          Skip to content
        </a>
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 pt-3 sm:px-6">
            <div className="flex min-w-0 items-center gap-3">
              <Logo />
              <div>
                <TenantSwitcher memberships={memberships} currentTenantId={ctx.tenantId} />
                <p className="text-xs text-slate-500">StepAuth Gateway</p>
              </div>
            </div>
            <div className="flex items-center gap-3 text-sm">
              <span className="hidden text-slate-600 sm:inline">{user.email}</span>
              {current ? <Badge tone="blue">{current.role}</Badge> : null}
              <form action={signOutAction}>
                <button
                  type="submit"
                  className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900"
                >
                  Sign out
                </button>
              </form>
            </div>
          </div>
          <div className="mx-auto mt-2 max-w-7xl px-4 sm:px-6">
            <ConsoleNav />
          </div>
        </header>
        <Suspense fallback={null}>
          <Prefetch ctx={ctx} queries={[["failOpen"]]}>
            <FailOpenBanner />
          </Prefetch>
        </Suspense>
        <main id="main" className="mx-auto max-w-7xl px-4 py-8 sm:px-6">
          {children}
        </main>
      </div>
    </QueryProvider>
  );
}
