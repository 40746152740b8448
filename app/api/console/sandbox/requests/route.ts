import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { listSandboxInboxRoute } from "@/lib/http/routes/sandbox-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("requests:read", listSandboxInboxRoute),
});
