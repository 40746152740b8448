import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { exportAuditLogRoute } from "@/lib/http/routes/audit-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", exportAuditLogRoute),
});
