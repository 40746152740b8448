import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { testRoutingScriptRoute } from "@/lib/http/routes/routing-routes";

// A dry run: evaluates a script against a sample request; changes nothing, so reading config suffices.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withApiKey("config:read", testRoutingScriptRoute),
});
