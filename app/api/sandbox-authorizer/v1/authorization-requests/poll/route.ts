import { apiRoute, withSandboxSpEnvelope } from "@/lib/http/api-route";
import { sandboxPollRoute } from "@/lib/http/routes/sandbox-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withSandboxSpEnvelope(sandboxPollRoute),
});
