import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { webhookDeliveriesRoute } from "@/lib/console/console-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", webhookDeliveriesRoute),
});
