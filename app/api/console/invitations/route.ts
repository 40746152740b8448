import { listPendingInvitations } from "@/db/queries/invitations";
import { apiRoute, json, withConsoleSession } from "@/lib/http/api-route";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("members:manage", async ({ db, ctx }) =>
    json({ data: await listPendingInvitations(db, ctx) }),
  ),
});
