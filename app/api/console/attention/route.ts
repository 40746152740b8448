import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { needsAttentionRoute } from "@/lib/http/routes/overview-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("requests:read", needsAttentionRoute),
});
