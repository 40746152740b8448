import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { deleteAuthorizerRoute, getAuthorizerRoute, updateAuthorizerRoute } from "@/lib/http/routes/authorizer-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withApiKey<{ name: string }>("config:read", getAuthorizerRoute),
  PATCH: withApiKey<{ name: string }>("config:write", updateAuthorizerRoute),
  DELETE: withApiKey<{ name: string }>("config:write", deleteAuthorizerRoute),
});
