import type { Database } from "@/db/client";
import { healthOf, refusedCallbackHealth, type RefusedCallbackHealth } from "@/db/queries/audit";
import { findAuthorizerByName, listAuthorizers, type AuthorizerView } from "@/db/queries/authorizers";
import { getTenantSettings } from "@/db/queries/tenant-settings";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { callbackUrlFor } from "@/lib/gateway/tenant-runtime";

/**
 * An authorizer as the console shows it: the API view plus the absolute callback URL to register
 * and its callback health (refused callbacks in the last hour, and the last cause).
 */
export type ConsoleAuthorizer = AuthorizerView & { callbackUrl: string; callbackHealth: RefusedCallbackHealth };

export async function listConsoleAuthorizers(db: Database, ctx: TenantContext): Promise<ConsoleAuthorizer[]> {
  const [list, settings, health] = await Promise.all([listAuthorizers(db, ctx), getTenantSettings(db, ctx), refusedCallbackHealth(db, ctx)]);
  return list.map((a) => ({ ...a, callbackUrl: callbackUrlFor(settings, a.id), callbackHealth: healthOf(health, a.id) }));
}

export async function findConsoleAuthorizer(db: Database, ctx: TenantContext, name: string): Promise<ConsoleAuthorizer | null> {
  const [authorizer, settings, health] = await Promise.all([findAuthorizerByName(db, ctx, name), getTenantSettings(db, ctx), refusedCallbackHealth(db, ctx)]);
  return authorizer ? { ...authorizer, callbackUrl: callbackUrlFor(settings, authorizer.id), callbackHealth: healthOf(health, authorizer.id) } : null;
}
