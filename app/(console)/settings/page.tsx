import type { Metadata } from "next";
import { Suspense } from "react";
import { DeliverySettings } from "@/components/console/settings/delivery-settings";
import { RecentDeliveries } from "@/components/console/settings/recent-deliveries";
import { UnavailabilityPolicy } from "@/components/console/settings/unavailability-policy";
import { WebhookSettings } from "@/components/console/settings/webhook-settings";
import { Prefetch } from "@/components/console/shell/prefetch";
import { PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { ctx } = await requireConsoleContext();
  const canWrite = can(ctx, "config:write");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Settings"
        description="How the gateway behaves when authorizers fail, how long requests live, and where decisions are delivered."
      />
      <Suspense fallback={<WidgetSkeleton title="When authorizers are unreachable" />}>
        <Prefetch ctx={ctx} queries={[["settings"]]}>
          <UnavailabilityPolicy canWrite={canWrite} />
        </Prefetch>
      </Suspense>
      <Suspense fallback={<WidgetSkeleton title="Retries and lifetimes" />}>
        <Prefetch ctx={ctx} queries={[["settings"]]}>
          <DeliverySettings canWrite={canWrite} />
        </Prefetch>
      </Suspense>
      <div className="grid gap-6 lg:grid-cols-2">
        <Suspense fallback={<WidgetSkeleton title="Service webhook" />}>
          <Prefetch ctx={ctx} queries={[["settings"]]}>
            <WebhookSettings canWrite={canWrite} />
          </Prefetch>
        </Suspense>
        <Suspense fallback={<WidgetSkeleton title="Recent deliveries" />}>
          <Prefetch ctx={ctx} queries={[["deliveries"]]}>
            <RecentDeliveries />
          </Prefetch>
        </Suspense>
      </div>
    </div>
  );
}
