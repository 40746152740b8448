import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { RequestActions } from "@/components/console/requests/request-actions";
import { RequestDetail } from "@/components/console/requests/request-detail";
import { Prefetch } from "@/components/console/shell/prefetch";
import { queryKeys } from "@/components/console/shell/queries";
import { WidgetSkeleton } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { getRequestView } from "@/db/queries/authorization-requests";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";
import { REQUEST_ID_PATTERN } from "@/lib/stepauth";

export const metadata: Metadata = { title: "Request" };

export default async function RequestPage({ params }: { params: Promise<{ requestId: string }> }) {
  const { ctx } = await requireConsoleContext();
  const { requestId } = await params;
  if (!REQUEST_ID_PATTERN.test(requestId)) notFound();
  const db = getDb();
  // Read before streaming starts, so an unknown id answers a real 404 with the console's not-found page.
  const view = await getRequestView(db, ctx, requestId);
  if (!view) notFound();
  const load = async () => view;
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <Link href="/requests" className="hover:text-slate-900 hover:underline">
          Requests
        </Link>{" "}
        <span aria-hidden>/</span> <span className="font-mono text-xs">{requestId}</span>
      </nav>
      <h1 className="sr-only">Authorization request {requestId}</h1>
      <Suspense fallback={<WidgetSkeleton title="Request" rows={8} />}>
        <Prefetch entries={[{ queryKey: queryKeys.request(requestId), load }]}>
          <div className="space-y-4">
            <RequestActions requestId={requestId} canCancel={can(ctx, "requests:write")} />
            <RequestDetail requestId={requestId} />
          </div>
        </Prefetch>
      </Suspense>
    </div>
  );
}
