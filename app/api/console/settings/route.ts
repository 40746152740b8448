import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { getSettingsRoute, updateSettingsRoute } from "@/lib/http/routes/settings-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", getSettingsRoute),
  PUT: withConsoleSession("config:write", updateSettingsRoute),
});
