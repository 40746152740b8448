import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { RequestActions } from "@/components/console/requests/request-actions";
import { RequestDetail } from "@/components/console/requests/request-detail";
import { loadConsoleQueryOrNotFound, Prefetch } from "@/components/console/shell/prefetch";
import { WidgetSkeleton } from "@/components/ui/card";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "Request" };

export default async function RequestPage({ params }: { params: Promise<{ requestId: string }> }) {
  const { ctx } = await requireConsoleContext();
  const { requestId } = await params;
  // Read before streaming starts, so an unknown id answers a real 404 with the console's not-found page;
  // the Prefetch below reuses this read.
  await loadConsoleQueryOrNotFound(ctx, "request", requestId);
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
        <Prefetch ctx={ctx} queries={[["request", requestId]]}>
          <div className="space-y-4">
            <RequestActions requestId={requestId} canCancel={can(ctx, "requests:write")} />
            <RequestDetail requestId={requestId} />
          </div>
        </Prefetch>
      </Suspense>
    </div>
  );
}
