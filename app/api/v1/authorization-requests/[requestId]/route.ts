import { getRequestStatus, getRequestView } from "@/db/queries/authorization-requests";
import { AppError } from "@/lib/errors/app-error";
import { admitLongPollOrHold, waitWhilePending } from "@/lib/gateway/long-poll";
import { apiRoute, json, withApiKey } from "@/lib/http/api-route";
import { REQUEST_ID_PATTERN } from "@/lib/stepauth";

const MAX_WAIT_SECONDS = 30;

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withApiKey<{ requestId: string }>("requests:read", async ({ db, ctx, request, params }) => {
    if (!REQUEST_ID_PATTERN.test(params.requestId)) throw new AppError("unknown_request", "No such authorization request");
    const waitParam = new URL(request.url).searchParams.get("wait");
    const wait = waitParam === null ? 0 : Number(waitParam);
    if (!Number.isInteger(wait) || wait < 0 || wait > MAX_WAIT_SECONDS) throw new AppError("validation_failed", `wait must be an integer from 0 to ${MAX_WAIT_SECONDS}`);
    // Long-poll while pending: admitted under a cap per key and tenant before any database work, and
    // waiting holds no database connection (one shared ticker reads the database, the source of truth).
    const release = wait > 0 ? await admitLongPollOrHold(ctx, wait, request.signal) : () => undefined;
    let status: Awaited<ReturnType<typeof getRequestStatus>>;
    try {
      status = await getRequestStatus(db, ctx, params.requestId);
      if (status === "pending" && wait > 0) await waitWhilePending(db, ctx, params.requestId, Date.now() + wait * 1000, request.signal);
    } finally {
      release();
    }
    const view = status ? await getRequestView(db, ctx, params.requestId) : null;
    if (!view) throw new AppError("unknown_request", "No such authorization request");
    return json(view);
  }),
});
