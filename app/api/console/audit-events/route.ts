import { listAuditLogRoute } from "@/lib/console/audit-log";
import { apiRoute, withConsoleSession } from "@/lib/http/api-route";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", listAuditLogRoute),
});
