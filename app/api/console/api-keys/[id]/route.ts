import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { getApiKeyRoute, revokeApiKeyRoute } from "@/lib/http/routes/api-key-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession<{ id: string }>("config:read", getApiKeyRoute),
  DELETE: withConsoleSession<{ id: string }>("keys:manage", revokeApiKeyRoute),
});
