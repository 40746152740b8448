import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { getApiKeyRoute, revokeApiKeyRoute } from "@/lib/http/routes/api-key-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withApiKey<{ id: string }>("keys:manage", getApiKeyRoute),
  DELETE: withApiKey<{ id: string }>("keys:manage", revokeApiKeyRoute),
});
