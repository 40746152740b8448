import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { inviteMemberRoute, listMembersRoute } from "@/lib/http/routes/member-routes";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", listMembersRoute),
  POST: withConsoleSession("members:manage", inviteMemberRoute),
});
