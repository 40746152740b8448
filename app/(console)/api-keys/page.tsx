import type { Metadata } from "next";
import { Suspense } from "react";
import { ApiKeysPanel } from "@/components/console/api-keys/api-keys-panel";
import { Prefetch } from "@/components/console/shell/prefetch";
import { PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const { ctx } = await requireConsoleContext();
  return (
    <div className="space-y-6">
      <PageHeader
        title="API keys"
        description="Your services authenticate to the gateway's API with these keys. Secrets are shown once and stored only as a hash."
      />
      <Suspense fallback={<WidgetSkeleton title="API keys" />}>
        <Prefetch ctx={ctx} queries={[["apiKeys"]]}>
          <ApiKeysPanel canManage={can(ctx, "keys:manage")} />
        </Prefetch>
      </Suspense>
    </div>
  );
}
