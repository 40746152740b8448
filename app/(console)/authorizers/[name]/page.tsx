import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense, type ReactNode } from "react";
import { AuthorizerDetail } from "@/components/console/authorizers/authorizer-detail";
import { loadConsoleQuery, Prefetch } from "@/components/console/shell/prefetch";
import { WidgetSkeleton } from "@/components/ui/card";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can, type TenantContext } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "Authorizer" };

// Inside the Suspense boundary, as the list loads: an unknown name renders the not-found page there.
async function KnownAuthorizer({ ctx, name, children }: { ctx: TenantContext; name: string; children: ReactNode }) {
  const { data } = await loadConsoleQuery(ctx, "authorizers");
  if (!data.some((a) => a.name === name)) notFound();
  return children;
}

export default async function AuthorizerPage({ params }: { params: Promise<{ name: string }> }) {
  const { ctx } = await requireConsoleContext();
  const name = decodeURIComponent((await params).name);
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <Link href="/authorizers" className="hover:text-slate-900 hover:underline">
          Authorizers
        </Link>{" "}
        <span aria-hidden>/</span> {name}
      </nav>
      <Suspense fallback={<WidgetSkeleton title={name} rows={6} />}>
        <KnownAuthorizer ctx={ctx} name={name}>
          <Prefetch ctx={ctx} queries={[["authorizers"], ["signingKeys"]]}>
            <AuthorizerDetail name={name} canWrite={can(ctx, "config:write")} />
          </Prefetch>
        </KnownAuthorizer>
      </Suspense>
    </div>
  );
}
