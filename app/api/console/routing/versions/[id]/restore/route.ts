import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { restoreRoutingVersionRoute } from "@/lib/http/routes/routing-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession<{ id: string }>("config:write", restoreRoutingVersionRoute),
});
