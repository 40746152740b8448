import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { activeTenantCookie, consoleContextForUser, sessionUser } from "./console-auth";
import type { TenantContext } from "./tenant-context";

/** For console pages: the signed-in user's TenantContext, or a redirect to /login. Once per request. */
export const requireConsoleContext = cache(
  async (): Promise<{ ctx: TenantContext; user: { id: string; email: string; name: string } }> => {
    const db = getDb();
    // The same check as every console API call: the cookie's session must still be live in the database.
    const user = await sessionUser(db, await headers());
    if (!user) redirect("/login");
    const requested = (await cookies()).get(activeTenantCookie)?.value;
    const ctx = await consoleContextForUser(db, user.id, requested);
    return { ctx, user: { id: user.id, email: user.email, name: user.name } };
  },
);
