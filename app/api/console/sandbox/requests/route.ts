import { z } from "zod";
import { listSandboxInbox } from "@/db/queries/sandbox-requests";
import { apiRoute, json, withConsoleSession } from "@/lib/http/api-route";

const inboxViewSchema = z.enum(["pending", "decided"]).default("pending");

// The reviewer inbox: requests of the sandbox registrations the signed-in user's tenant owns.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  GET: withConsoleSession("requests:read", async ({ db, ctx, request }) => {
    const view = inboxViewSchema.parse(new URL(request.url).searchParams.get("view") ?? undefined);
    return json({ view, requests: await listSandboxInbox(db, ctx, view) });
  }),
});
