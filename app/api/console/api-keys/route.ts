import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { createApiKeyRoute, listApiKeysRoute } from "@/lib/http/routes/api-key-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", listApiKeysRoute),
  POST: withConsoleSession("keys:manage", createApiKeyRoute),
});
