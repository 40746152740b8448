import { receiveSandboxSubmission, withSandboxSpEnvelope } from "@/lib/sandbox";
import { apiRoute, json } from "@/lib/http/api-route";

// The sandbox authorizer's submit (PROTOCOL.md): authenticated by the SP's envelope signature.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withSandboxSpEnvelope(async ({ db, call }) => {
    const answer = await receiveSandboxSubmission(db, call);
    return json(answer.body, answer.httpStatus);
  }),
});
