import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { sendTestRequestRoute } from "@/lib/http/routes/authorizer-routes";

// Sends real signed traffic to the authorizer, so it needs the configuring role, not just reading.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession<{ name: string }>("config:write", sendTestRequestRoute),
});
