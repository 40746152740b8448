import { getRequestView } from "@/db/queries/authorization-requests";
import { AppError } from "@/lib/errors/app-error";
import { cancelAuthorizationRequest } from "@/lib/gateway/cancel";
import { apiRoute, json, withApiKey } from "@/lib/http/api-route";
import { REQUEST_ID_PATTERN } from "@/lib/stepauth";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withApiKey<{ requestId: string }>("requests:write", async ({ db, ctx, params }) => {
    if (!REQUEST_ID_PATTERN.test(params.requestId))
      throw new AppError("unknown_request", "No such authorization request");
    const outcome = await cancelAuthorizationRequest(db, ctx, params.requestId);
    const view = await getRequestView(db, ctx, params.requestId, { events: false });
    if (outcome.cancelled) return json(view);
    return json({ error: "already_decided", message: `The request is already ${outcome.status}`, request: view }, 409);
  }),
});
