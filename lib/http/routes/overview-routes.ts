import { consoleQueryLoaders } from "@/lib/console/queries";
import { json, type TenantRequest } from "../api-route";

// The console overview: its numbers, the attention panels and the fail-open banner, each answered by
// its console query's loader (the same function the page prefetches with).

export async function overviewStatsRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await consoleQueryLoaders.stats(db, ctx));
}

export async function needsAttentionRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await consoleQueryLoaders.attention(db, ctx));
}

export async function pendingRequestsRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await consoleQueryLoaders.pendingRequests(db, ctx));
}

export async function failOpenStatusRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await consoleQueryLoaders.failOpen(db, ctx));
}
