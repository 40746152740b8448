import type { Metadata } from "next";
import { cache, Suspense } from "react";
import { DeliverySettings } from "@/components/console/settings/delivery-settings";
import { RecentDeliveries } from "@/components/console/settings/recent-deliveries";
import { UnavailabilityPolicy } from "@/components/console/settings/unavailability-policy";
import { WebhookSettings } from "@/components/console/settings/webhook-settings";
import { Prefetch } from "@/components/console/shell/prefetch";
import { queryKeys } from "@/components/console/shell/queries";
import { PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { listRecentDeliveries } from "@/db/queries/request-stats";
import { getTenantSettings } from "@/db/queries/tenant-settings";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can, type TenantContext } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "Settings" };

// Three widgets read the settings; load them once per render.
const loadSettings = cache((ctx: TenantContext) => getTenantSettings(getDb(), ctx));

export default async function SettingsPage() {
  const { ctx } = await requireConsoleContext();
  const db = getDb();
  const canWrite = can(ctx, "config:write");
  const settings = [{ queryKey: queryKeys.settings, load: () => loadSettings(ctx) }];
  return (
    <div className="space-y-6">
      <PageHeader
        title="Settings"
        description="How the gateway behaves when authorizers fail, how long requests live, and where decisions are delivered."
      />
      <Suspense fallback={<WidgetSkeleton title="When authorizers are unreachable" />}>
        <Prefetch entries={settings}>
          <UnavailabilityPolicy canWrite={canWrite} />
        </Prefetch>
      </Suspense>
      <Suspense fallback={<WidgetSkeleton title="Retries and lifetimes" />}>
        <Prefetch entries={settings}>
          <DeliverySettings canWrite={canWrite} />
        </Prefetch>
      </Suspense>
      <div className="grid gap-6 lg:grid-cols-2">
        <Suspense fallback={<WidgetSkeleton title="Service webhook" />}>
          <Prefetch entries={settings}>
            <WebhookSettings canWrite={canWrite} />
          </Prefetch>
        </Suspense>
        <Suspense fallback={<WidgetSkeleton title="Recent deliveries" />}>
          <Prefetch
            entries={[
              { queryKey: queryKeys.deliveries, load: async () => ({ data: await listRecentDeliveries(db, ctx) }) },
            ]}
          >
            <RecentDeliveries />
          </Prefetch>
        </Suspense>
      </div>
    </div>
  );
}
