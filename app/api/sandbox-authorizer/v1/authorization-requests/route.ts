import { apiRoute, withSandboxSpEnvelope } from "@/lib/http/api-route";
import { sandboxSubmitRoute } from "@/lib/http/routes/sandbox-routes";

// The sandbox authorizer's submit (PROTOCOL.md): authenticated by the SP's envelope signature.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withSandboxSpEnvelope(sandboxSubmitRoute),
});
