import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { verifyIntegrityRoute } from "@/lib/http/routes/audit-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("requests:read", verifyIntegrityRoute),
});
