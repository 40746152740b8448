import type { Metadata } from "next";
import { Suspense } from "react";
import { RoutingWorkbench } from "@/components/console/routing/routing-workbench";
import { Prefetch } from "@/components/console/shell/prefetch";
import { PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { routingReferenceFields } from "@/lib/console/routing-reference";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "Routing" };

export default async function RoutingPage() {
  const { ctx } = await requireConsoleContext();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Routing"
        description="Decide which authorizers review which requests. Test against the sample requests or recent real ones before saving."
      />
      <Suspense fallback={<WidgetSkeleton title="Routing script" rows={6} />}>
        <Prefetch ctx={ctx} queries={[["settings"], ["recentRequests"], ["routingVersions"]]}>
          <RoutingWorkbench canWrite={can(ctx, "config:write")} fields={routingReferenceFields()} />
        </Prefetch>
      </Suspense>
    </div>
  );
}
