import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { getConsoleRequestRoute } from "@/lib/http/routes/request-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession<{ requestId: string }>("requests:read", getConsoleRequestRoute),
});
