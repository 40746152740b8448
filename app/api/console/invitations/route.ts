import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { listInvitationsRoute } from "@/lib/http/routes/member-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("members:manage", listInvitationsRoute),
});
