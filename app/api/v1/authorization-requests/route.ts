import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { listRequestsRoute, submitRequestRoute } from "@/lib/http/routes/request-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withApiKey("requests:write", submitRequestRoute),
  GET: withApiKey("requests:read", listRequestsRoute),
});
