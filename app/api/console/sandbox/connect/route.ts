import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { connectSandboxRoute } from "@/lib/http/routes/sandbox-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession("config:write", connectSandboxRoute),
});
