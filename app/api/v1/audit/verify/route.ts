import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { verifyAuditTrailRoute } from "@/lib/http/routes/audit-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withApiKey("requests:read", verifyAuditTrailRoute),
});
