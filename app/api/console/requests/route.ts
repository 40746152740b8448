import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { listConsoleRequestsRoute } from "@/lib/console/console-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("requests:read", listConsoleRequestsRoute),
});
