import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { createApiKeyRoute, listApiKeysRoute } from "@/lib/http/routes/api-key-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withApiKey("keys:manage", listApiKeysRoute),
  POST: withApiKey("keys:manage", createApiKeyRoute),
});
