import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import {
  deleteAuthorizerRoute,
  getConsoleAuthorizerRoute,
  updateAuthorizerRoute,
} from "@/lib/http/routes/authorizer-routes";

type Params = { name: string };

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession<Params>("config:read", getConsoleAuthorizerRoute),
  PATCH: withConsoleSession<Params>("config:write", updateAuthorizerRoute),
  DELETE: withConsoleSession<Params>("config:write", deleteAuthorizerRoute),
});
