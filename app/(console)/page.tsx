import type { Metadata } from "next";
import { Suspense } from "react";
import { StatusSummary } from "@/components/console/overview/status-summary";
import { DailyChart } from "@/components/console/overview/daily-chart";
import { LatencyChart } from "@/components/console/overview/latency-chart";
import { DeliveryFailuresWidget, FailOpenWidget } from "@/components/console/overview/attention-widgets";
import { NeedsAttentionPanel } from "@/components/console/overview/needs-attention";
import { PendingRequestsPanel } from "@/components/console/overview/pending-requests";
import { Prefetch } from "@/components/console/shell/prefetch";
import { PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { requireConsoleContext } from "@/lib/auth/console-page";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const { ctx, user } = await requireConsoleContext();
  const widget = (title: string, node: React.ReactNode) => (
    <Suspense fallback={<WidgetSkeleton title={title} />}>
      {/* Every widget reads the same stats: Prefetch reads them once per render. */}
      <Prefetch ctx={ctx} queries={[["stats"]]}>
        {node}
      </Prefetch>
    </Suspense>
  );
  return (
    <div className="space-y-6">
      <PageHeader
        title="Overview"
        description={`Welcome, ${user.name}. What your services asked for, what was decided, and what needs attention.`}
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Suspense fallback={<WidgetSkeleton title="Needs attention" />}>
          <Prefetch ctx={ctx} queries={[["attention"]]}>
            <NeedsAttentionPanel />
          </Prefetch>
        </Suspense>
        <Suspense fallback={<WidgetSkeleton title="Pending requests" />}>
          <Prefetch ctx={ctx} queries={[["pendingRequests"]]}>
            <PendingRequestsPanel />
          </Prefetch>
        </Suspense>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        {widget("Last 24 hours", <StatusSummary window="24h" />)}
        {widget("Last 7 days", <StatusSummary window="7d" />)}
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        {widget("Requests per day", <DailyChart />)}
        {widget("Decision latency", <LatencyChart />)}
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        {widget("Fail-open executions", <FailOpenWidget />)}
        {widget("Delivery failures", <DeliveryFailuresWidget />)}
      </div>
    </div>
  );
}
