import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { pendingRequestsRoute } from "@/lib/http/routes/overview-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("requests:read", pendingRequestsRoute),
});
