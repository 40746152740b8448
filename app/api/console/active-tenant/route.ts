import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { switchTenantRoute } from "@/lib/http/routes/member-routes";

// The console's tenant switcher; any member may switch to another tenant they belong to.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession("requests:read", switchTenantRoute),
});
