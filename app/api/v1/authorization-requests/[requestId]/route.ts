import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { getRequestRoute } from "@/lib/http/routes/request-routes";

// `?wait=` long-polls; the route takes its fair share itself (a wait holds none: see getRequestRoute).
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withApiKey<{ requestId: string }>("requests:read", getRequestRoute, { fairShare: "handler" }),
});
