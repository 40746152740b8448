import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { AuthorizerDetail } from "@/components/console/authorizers/authorizer-detail";
import { Prefetch } from "@/components/console/shell/prefetch";
import { queryKeys } from "@/components/console/shell/queries";
import { WidgetSkeleton } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { listSigningKeys } from "@/db/queries/signing-keys";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";
import { listConsoleAuthorizers } from "@/lib/console/authorizer-views";

export const metadata: Metadata = { title: "Authorizer" };

export default async function AuthorizerPage({ params }: { params: Promise<{ name: string }> }) {
  const { ctx } = await requireConsoleContext();
  const name = decodeURIComponent((await params).name);
  const db = getDb();
  const load = async () => {
    const data = await listConsoleAuthorizers(db, ctx);
    if (!data.some((a) => a.name === name)) notFound();
    return { data };
  };
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <Link href="/authorizers" className="hover:text-slate-900 hover:underline">
          Authorizers
        </Link>{" "}
        <span aria-hidden>/</span> {name}
      </nav>
      <Suspense fallback={<WidgetSkeleton title={name} rows={6} />}>
        <Prefetch
          entries={[
            { queryKey: queryKeys.authorizers, load },
            { queryKey: queryKeys.signingKeys, load: async () => ({ data: await listSigningKeys(db, ctx) }) },
          ]}
        >
          <AuthorizerDetail name={name} canWrite={can(ctx, "config:write")} />
        </Prefetch>
      </Suspense>
    </div>
  );
}
