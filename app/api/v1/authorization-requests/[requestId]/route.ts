import type { Database } from "@/db/client";
import { getRequestStatus, getRequestView } from "@/db/queries/authorization-requests";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { admitTenantRequest } from "@/lib/fairness/tenant-fair-share";
import { admitLongPollOrHold, waitWhilePending } from "@/lib/gateway/long-poll";
import { apiRoute, json, withApiKey } from "@/lib/http/api-route";
import { REQUEST_ID_PATTERN } from "@/lib/stepauth";

const MAX_WAIT_SECONDS = 30;

async function viewOf(db: Database, ctx: TenantContext, requestId: string) {
  const view = await getRequestView(db, ctx, requestId);
  if (!view) throw new AppError("unknown_request", "No such authorization request");
  return view;
}

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withApiKey<{ requestId: string }>(
    "requests:read",
    async ({ db, ctx, request, params }) => {
      if (!REQUEST_ID_PATTERN.test(params.requestId))
        throw new AppError("unknown_request", "No such authorization request");
      const waitParam = new URL(request.url).searchParams.get("wait");
      const wait = waitParam === null ? 0 : Number(waitParam);
      if (!Number.isInteger(wait) || wait < 0 || wait > MAX_WAIT_SECONDS)
        throw new AppError("validation_failed", `wait must be an integer from 0 to ${MAX_WAIT_SECONDS}`);
      // A read without a wait is ordinary work and takes the tenant's fair share, like every route.
      if (wait === 0) {
        const release = await admitTenantRequest(ctx.tenantId, request.signal);
        try {
          return json(await viewOf(db, ctx, params.requestId));
        } finally {
          release();
        }
      }
      // Long-poll while pending: admitted under a cap per key and tenant before any database work, and
      // waiting holds no database connection (one shared ticker reads the database, the source of truth),
      // so it takes no fair share.
      const release = await admitLongPollOrHold(ctx, wait, request.signal);
      try {
        const status = await getRequestStatus(db, ctx, params.requestId);
        if (status === null) throw new AppError("unknown_request", "No such authorization request");
        if (status === "pending")
          await waitWhilePending(db, ctx, params.requestId, Date.now() + wait * 1000, request.signal);
      } finally {
        release();
      }
      return json(await viewOf(db, ctx, params.requestId));
    },
    { fairShare: "handler" },
  ),
});
