import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { findUserById } from "@/db/queries/users";
import { auth } from "./config";
import { activeTenantCookie, consoleContextForUser } from "./console-auth";
import type { TenantContext } from "./tenant-context";

/** For console pages: the signed-in user's TenantContext, or a redirect to /login. Once per request. */
export const requireConsoleContext = cache(async (): Promise<{ ctx: TenantContext; user: { id: string; email: string; name: string } }> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) redirect("/login");
  const db = getDb();
  const user = await findUserById(db, userId);
  if (!user) redirect("/login");
  const requested = (await cookies()).get(activeTenantCookie)?.value;
  const ctx = await consoleContextForUser(db, userId, requested);
  return { ctx, user: { id: user.id, email: user.email, name: user.name } };
});
