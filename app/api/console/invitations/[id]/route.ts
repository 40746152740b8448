import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { revokeInvitationRoute } from "@/lib/http/routes/member-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  DELETE: withConsoleSession<{ id: string }>("members:manage", revokeInvitationRoute),
});
