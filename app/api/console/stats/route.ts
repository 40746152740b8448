import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { overviewStatsRoute } from "@/lib/console/console-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("requests:read", overviewStatsRoute),
});
