import { apiRoute, withSignedEnvelope } from "@/lib/http/api-route";
import { decisionCallbackRoute } from "@/lib/http/routes/request-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withSignedEnvelope<{ authorizerId: string }>(decisionCallbackRoute),
});
