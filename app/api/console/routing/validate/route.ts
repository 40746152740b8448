import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { validateRoutingScriptRoute } from "@/lib/http/routes/routing-routes";

// A dry check for the editor; it changes nothing, so reading the configuration suffices.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession("config:read", validateRoutingScriptRoute),
});
