import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { listConsoleRequestsRoute } from "@/lib/http/routes/request-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("requests:read", listConsoleRequestsRoute),
});
