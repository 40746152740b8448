import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { getSettingsRoute, updateSettingsRoute } from "@/lib/http/routes/settings-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withApiKey("config:read", getSettingsRoute),
  PUT: withApiKey("config:write", updateSettingsRoute),
});
