import { recordSandboxResultReport, withSandboxSpEnvelope } from "@/lib/sandbox";
import { apiRoute, json } from "@/lib/http/api-route";

// The sandbox authorizer's result report (PROTOCOL.md): 200 recorded, 404 unknown_request.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withSandboxSpEnvelope(async ({ db, call }) => json(await recordSandboxResultReport(db, call))),
});
