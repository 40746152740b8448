import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { getConsoleSettingsRoute, updateSettingsRoute } from "@/lib/http/routes/settings-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", getConsoleSettingsRoute),
  PUT: withConsoleSession("config:write", updateSettingsRoute),
});
