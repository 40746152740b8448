import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { reviewSandboxRequestRoute } from "@/lib/http/routes/sandbox-routes";

// Viewers may read the inbox but not decide (requests:write).
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession<{ id: string }>("requests:write", reviewSandboxRequestRoute),
});
