import { z } from "zod";
import { findMembershipRole } from "@/db/queries/users";
import { activeTenantCookie } from "@/lib/auth/console-auth";
import { AppError } from "@/lib/errors/app-error";
import { apiRoute, json, withConsoleSession } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";

const switchTenantSchema = z.object({ tenantId: z.uuid() });

/** The console's tenant switcher: remembers the chosen tenant, only if the signed-in person belongs to it. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession("requests:read", async ({ db, ctx, request }) => {
    const { tenantId } = await readJsonBody(request, switchTenantSchema);
    const role = ctx.actor.type === "user" ? await findMembershipRole(db, tenantId, ctx.actor.userId) : null;
    if (!role) throw new AppError("forbidden", "You are not a member of that tenant");
    const https = new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
    // The cookie only names a choice: every request checks the membership again (consoleContextForUser).
    const cookie = `${activeTenantCookie}=${tenantId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${365 * 24 * 60 * 60}${https ? "; Secure" : ""}`;
    return json({ tenantId, role }, 200, { "set-cookie": cookie });
  }),
});
