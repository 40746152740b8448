import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { listRoutingVersionsRoute } from "@/lib/http/management-routes/routing-version-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", listRoutingVersionsRoute),
});
