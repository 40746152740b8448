import { getSandboxInboxItem } from "@/db/queries/sandbox-requests";
import { reviewInputSchema, reviewSandboxRequest } from "@/lib/sandbox";
import { apiRoute, json, withConsoleSession } from "@/lib/http/api-route";
import { readJsonBody, uuidParam } from "@/lib/http/json-body";

// Approve or deny with a reason. Viewers may read the inbox but not decide (requests:write).
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession<{ id: string }>("requests:write", async ({ db, ctx, request, params }) => {
    const id = uuidParam(params.id, "request");
    const input = await readJsonBody(request, reviewInputSchema);
    const outcome = await reviewSandboxRequest(db, ctx, id, input);
    return json({
      decided: outcome.decided,
      approvals: outcome.approvals,
      request: await getSandboxInboxItem(db, ctx, id),
    });
  }),
});
