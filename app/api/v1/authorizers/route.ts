import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { createAuthorizerRoute, listAuthorizersRoute } from "@/lib/http/routes/authorizer-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withApiKey("config:read", listAuthorizersRoute),
  POST: withApiKey("config:write", createAuthorizerRoute),
});
