import { apiRoute, withApiKey } from "@/lib/http/api-route";
import { cancelRequestRoute } from "@/lib/http/routes/request-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withApiKey<{ requestId: string }>("requests:write", cancelRequestRoute),
});
