import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { listAuditEventsRoute } from "@/lib/http/routes/audit-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withApiKey("config:read", listAuditEventsRoute),
});
