import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { listRoutingVersionsRoute } from "@/lib/http/routes/routing-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", listRoutingVersionsRoute),
});
