import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { listConsoleAuthorizersRoute } from "@/lib/console/console-routes";
import { createAuthorizerRoute } from "@/lib/http/management-routes/authorizer-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", listConsoleAuthorizersRoute),
  POST: withConsoleSession("config:write", createAuthorizerRoute),
});
