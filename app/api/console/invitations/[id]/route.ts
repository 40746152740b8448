import { revokeInvitation } from "@/db/queries/invitations";
import { AppError } from "@/lib/errors/app-error";
import { apiRoute, withConsoleSession } from "@/lib/http/api-route";
import { uuidParam } from "@/lib/http/json-body";

type Params = { id: string };

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  DELETE: withConsoleSession<Params>("members:manage", async ({ db, ctx, params }) => {
    if (!(await revokeInvitation(db, ctx, uuidParam(params.id, "invitation"))))
      throw new AppError("not_found", "No such pending invitation");
    return new Response(null, { status: 204 });
  }),
});
