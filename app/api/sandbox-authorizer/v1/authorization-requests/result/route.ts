import { apiRoute, withSandboxSpEnvelope } from "@/lib/http/api-route";
import { sandboxResultRoute } from "@/lib/http/routes/sandbox-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withSandboxSpEnvelope(sandboxResultRoute),
});
