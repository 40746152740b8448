import { pollSandboxRequest, withSandboxSpEnvelope } from "@/lib/sandbox";
import { apiRoute, json } from "@/lib/http/api-route";

// The sandbox authorizer's poll (PROTOCOL.md): the signed decision, or 202 while pending.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withSandboxSpEnvelope(async ({ db, call }) => {
    const answer = await pollSandboxRequest(db, call);
    return json(answer.body, answer.httpStatus);
  }),
});
