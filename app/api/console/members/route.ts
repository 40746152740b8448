import { z } from "zod";
import { refineReadable } from "@/lib/stepauth";
import { addMember, listMembers } from "@/db/queries/members";
import { memberRole } from "@/db/schema";
import { apiRoute, json, withConsoleSession } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";

const addMemberSchema = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200).superRefine(refineReadable("name")),
  role: z.enum(memberRole.enumValues),
  initialPassword: z.string().min(12).max(1024),
});

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("config:read", async ({ db, ctx }) => json({ data: await listMembers(db, ctx) })),
  POST: withConsoleSession("members:manage", async ({ db, ctx, request }) => {
    const input = await readJsonBody(request, addMemberSchema);
    return json(await addMember(db, ctx, input), 201);
  }),
});
