import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { changePasswordRoute } from "@/lib/http/routes/member-routes";

// The signed-in person's own password. Every role holds requests:read, so every member may change it.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession("requests:read", changePasswordRoute),
});
