import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { Metadata } from "next";
import { ApiKeysPanel, apiKeysQueryKey } from "@/components/console/api-keys/api-keys-panel";
import { getDb } from "@/db/client";
import { listApiKeys } from "@/db/queries/api-keys";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const { ctx } = await requireConsoleContext();
  const queryClient = new QueryClient();
  // Prefetch with the same query the API route uses, serialised as the route would answer.
  const data = JSON.parse(JSON.stringify({ data: await listApiKeys(getDb(), ctx) }));
  queryClient.setQueryData(apiKeysQueryKey, data);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <ApiKeysPanel canManage={can(ctx, "keys:manage")} />
      </HydrationBoundary>
    </div>
  );
}
