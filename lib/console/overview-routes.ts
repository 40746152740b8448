import { listPendingRequests } from "@/db/queries/attention";
import { getRequestView } from "@/db/queries/authorization-requests";
import { getFailOpenStatus } from "@/db/queries/fail-open-status";
import { AppError } from "@/lib/errors/app-error";
import { cancelAuthorizationRequest } from "@/lib/gateway/cancel";
import { json, type TenantRequest } from "@/lib/http/api-route";
import { REQUEST_ID_PATTERN } from "@/lib/stepauth";
import { getNeedsAttention } from "./needs-attention";

// Console route bodies for the overview's attention panels, the fail-open banner and cancelling a request.

export async function needsAttentionRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await getNeedsAttention(db, ctx));
}

export async function pendingRequestsRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await listPendingRequests(db, ctx));
}

export async function failOpenStatusRoute({ db, ctx }: TenantRequest<unknown>) {
  return json(await getFailOpenStatus(db, ctx));
}

/**
 * Cancels a pending request from its page, through the same logic as the API's cancel: 200 with
 * the request, or 409 `already_decided` when a decision (or expiry) got there first.
 */
export async function cancelConsoleRequestRoute({ db, ctx, params }: TenantRequest<{ requestId: string }>) {
  if (!REQUEST_ID_PATTERN.test(params.requestId))
    throw new AppError("unknown_request", "No such authorization request");
  const outcome = await cancelAuthorizationRequest(db, ctx, params.requestId);
  if (!outcome.cancelled) throw new AppError("already_decided", `The request is already ${outcome.status}`);
  return json(await getRequestView(db, ctx, params.requestId, { events: false }));
}
