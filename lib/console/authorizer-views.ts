import type { Database } from "@/db/client";
import { findAuthorizerByName, listAuthorizers, type AuthorizerView } from "@/db/queries/authorizers";
import { getTenantSettings } from "@/db/queries/tenant-settings";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { callbackUrlFor } from "@/lib/gateway/tenant-runtime";

/** An authorizer as the console shows it: the API view plus the absolute callback URL to register. */
export type ConsoleAuthorizer = AuthorizerView & { callbackUrl: string };

export async function listConsoleAuthorizers(db: Database, ctx: TenantContext): Promise<ConsoleAuthorizer[]> {
  const [list, settings] = await Promise.all([listAuthorizers(db, ctx), getTenantSettings(db, ctx)]);
  return list.map((a) => ({ ...a, callbackUrl: callbackUrlFor(settings, a.id) }));
}

export async function findConsoleAuthorizer(db: Database, ctx: TenantContext, name: string): Promise<ConsoleAuthorizer | null> {
  const [authorizer, settings] = await Promise.all([findAuthorizerByName(db, ctx, name), getTenantSettings(db, ctx)]);
  return authorizer ? { ...authorizer, callbackUrl: callbackUrlFor(settings, authorizer.id) } : null;
}
