import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { webhookTestRoute } from "@/lib/http/routes/settings-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession("config:write", webhookTestRoute),
});
