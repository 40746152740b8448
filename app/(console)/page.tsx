import type { Metadata } from "next";
import { Suspense } from "react";
import { cache } from "react";
import { StatusSummary } from "@/components/console/overview/status-summary";
import { DailyChart } from "@/components/console/overview/daily-chart";
import { LatencyChart } from "@/components/console/overview/latency-chart";
import { DeliveryFailuresWidget, FailOpenWidget } from "@/components/console/overview/attention-widgets";
import { NeedsAttentionPanel } from "@/components/console/overview/needs-attention";
import { PendingRequestsPanel } from "@/components/console/overview/pending-requests";
import { Prefetch } from "@/components/console/shell/prefetch";
import { queryKeys } from "@/components/console/shell/queries";
import { PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { listPendingRequests } from "@/db/queries/attention";
import { getOverviewStats } from "@/db/queries/request-stats";
import { getNeedsAttention } from "@/lib/console/needs-attention";
import { requireConsoleContext } from "@/lib/auth/console-page";
import type { TenantContext } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "Overview" };

// Every widget reads the same stats; compute them once per page render.
const loadStats = cache((ctx: TenantContext) => getOverviewStats(getDb(), ctx));

export default async function OverviewPage() {
  const { ctx, user } = await requireConsoleContext();
  const stats = [{ queryKey: queryKeys.stats, load: () => loadStats(ctx) }];
  const widget = (title: string, node: React.ReactNode) => (
    <Suspense fallback={<WidgetSkeleton title={title} />}>
      <Prefetch entries={stats}>{node}</Prefetch>
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
          <Prefetch entries={[{ queryKey: queryKeys.attention, load: () => getNeedsAttention(getDb(), ctx) }]}>
            <NeedsAttentionPanel />
          </Prefetch>
        </Suspense>
        <Suspense fallback={<WidgetSkeleton title="Pending requests" />}>
          <Prefetch entries={[{ queryKey: queryKeys.pendingRequests, load: () => listPendingRequests(getDb(), ctx) }]}>
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
