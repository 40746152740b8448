import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { createAuthorizerRoute, listConsoleAuthorizersRoute } from "@/lib/http/routes/authorizer-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", listConsoleAuthorizersRoute),
  POST: withConsoleSession("config:write", createAuthorizerRoute),
});
