import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { testRoutingScriptRoute } from "@/lib/http/routes/routing-routes";

// The test bench: evaluates a script against a sample request; changes nothing.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession("config:read", testRoutingScriptRoute),
});
