import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { changeMemberRoleRoute, removeMemberRoute } from "@/lib/http/routes/member-routes";

type Params = { userId: string };

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  PATCH: withConsoleSession<Params>("members:manage", changeMemberRoleRoute),
  DELETE: withConsoleSession<Params>("members:manage", removeMemberRoute),
});
