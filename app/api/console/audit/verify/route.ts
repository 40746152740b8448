import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { verifyIntegrityRoute } from "@/lib/console/audit-verify-route";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("requests:read", verifyIntegrityRoute),
});
