import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { createApiKeyRoute, listApiKeysRoute } from "@/lib/http/api-key-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withApiKey("keys:manage", listApiKeysRoute),
  POST: withApiKey("keys:manage", createApiKeyRoute),
});
