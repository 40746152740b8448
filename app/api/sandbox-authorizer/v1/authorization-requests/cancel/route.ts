import { cancelSandboxRequest, withSandboxSpEnvelope } from "@/lib/sandbox";
import { apiRoute, json } from "@/lib/http/api-route";

// The sandbox authorizer's cancel (PROTOCOL.md): 200 cancelled, or 409 with the decision that won.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withSandboxSpEnvelope(async ({ db, call }) => {
    const answer = await cancelSandboxRequest(db, call);
    return json(answer.body, answer.httpStatus);
  }),
});
