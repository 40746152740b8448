import { z } from "zod";
import { createInvitation } from "@/db/queries/invitations";
import { listMembers } from "@/db/queries/members";
import { memberRole } from "@/db/schema";
import { invitationUrl } from "@/lib/auth/onboarding-settings";
import { apiRoute, json, withConsoleSession } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";

// Adding a member invites them: the invitee sets their own password (or, having an account, accepts
// while signed in as it). Other fields an older client sends (name, initialPassword) are ignored.
const addMemberSchema = z.object({
  email: z.email().max(320),
  role: z.enum(memberRole.enumValues),
});

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", async ({ db, ctx }) => json({ data: await listMembers(db, ctx) })),
  POST: withConsoleSession("members:manage", async ({ db, ctx, request }) => {
    const input = await readJsonBody(request, addMemberSchema);
    const createdBy = ctx.actor.type === "user" ? ctx.actor.userId : null;
    const { invitation, token } = await createInvitation(db, ctx, { ...input, createdBy });
    // The link is shown once, to the inviter, who passes it on (this deployment sends no mail).
    // The origin the inviter uses (a mutation's Origin header is checked to match the host already).
    const inviterOrigin = request.headers.get("origin") ?? new URL(request.url).origin;
    return json({ invitation, inviteUrl: invitationUrl(token, inviterOrigin) }, 201);
  }),
});
