import { listPendingRequests } from "@/db/queries/attention";
import { getFailOpenStatus } from "@/db/queries/fail-open-status";
import { getOverviewStats } from "@/db/queries/request-stats";
import { getNeedsAttention } from "@/lib/console/needs-attention";
import { json, type TenantRequest } from "../api-route";

// The console overview: its numbers, the attention panels and the fail-open banner.

export async function overviewStatsRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await getOverviewStats(db, ctx));
}

export async function needsAttentionRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await getNeedsAttention(db, ctx));
}

export async function pendingRequestsRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await listPendingRequests(db, ctx));
}

export async function failOpenStatusRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await getFailOpenStatus(db, ctx));
}
