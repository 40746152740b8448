import { z } from "zod";
import { changeMemberRole, removeMember } from "@/db/queries/members";
import { memberRole } from "@/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { apiRoute, json, withConsoleSession } from "@/lib/http/api-route";
import { readJsonBody, uuidParam } from "@/lib/http/json-body";

// Promotion to owner or demotion of an owner also needs `confirmEmail` (see changeMemberRole).
const changeRoleSchema = z.object({
  role: z.enum(memberRole.enumValues),
  confirmEmail: z.string().max(320).optional(),
});
type Params = { userId: string };

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  PATCH: withConsoleSession<Params>("members:manage", async ({ db, ctx, request, params }) => {
    const { role, confirmEmail } = await readJsonBody(request, changeRoleSchema);
    const member = await changeMemberRole(db, ctx, uuidParam(params.userId, "member"), role, {
      confirmedEmail: confirmEmail,
    });
    if (!member) throw new AppError("not_found", "No such member");
    return json(member);
  }),
  DELETE: withConsoleSession<Params>("members:manage", async ({ db, ctx, params }) => {
    if (!(await removeMember(db, ctx, uuidParam(params.userId, "member"))))
      throw new AppError("not_found", "No such member");
    return new Response(null, { status: 204 });
  }),
});
