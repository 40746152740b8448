import type { Database } from "@/db/client";
import { healthOf, refusedCallbackHealth, type RefusedCallbackHealth } from "@/db/queries/audit";
import { authorizerHealth, type AuthorizerHealth } from "@/db/queries/authorizer-health";
import { findAuthorizerByName, listAuthorizers, type AuthorizerView } from "@/db/queries/authorizers";
import { getTenantSettings } from "@/db/queries/tenant-settings";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { callbackUrlFor } from "@/lib/config/public-urls";

/**
 * An authorizer as the console shows it: the API view plus the absolute callback URL to register,
 * its callback health (refused callbacks in the last hour, and the last cause) and its overall
 * health over the last hour and day (state, last success and failure, error rate, latency).
 */
export type ConsoleAuthorizer = AuthorizerView & {
  callbackUrl: string;
  callbackHealth: RefusedCallbackHealth;
  health: AuthorizerHealth;
};

export async function listConsoleAuthorizers(db: Database, ctx: TenantContext): Promise<ConsoleAuthorizer[]> {
  const [list, settings, refused] = await Promise.all([
    listAuthorizers(db, ctx),
    getTenantSettings(db, ctx),
    refusedCallbackHealth(db, ctx),
  ]);
  const health = await authorizerHealth(
    db,
    ctx,
    list.map((a) => a.id),
  );
  return list.map((a) => ({
    ...a,
    callbackUrl: callbackUrlFor(settings, a.id),
    callbackHealth: healthOf(refused, a.id),
    health: health.get(a.id)!,
  }));
}

export async function findConsoleAuthorizer(
  db: Database,
  ctx: TenantContext,
  name: string,
): Promise<ConsoleAuthorizer | null> {
  const [authorizer, settings, refused] = await Promise.all([
    findAuthorizerByName(db, ctx, name),
    getTenantSettings(db, ctx),
    refusedCallbackHealth(db, ctx),
  ]);
  if (!authorizer) return null;
  const health = await authorizerHealth(db, ctx, [authorizer.id]);
  return {
    ...authorizer,
    callbackUrl: callbackUrlFor(settings, authorizer.id),
    callbackHealth: healthOf(refused, authorizer.id),
    health: health.get(authorizer.id)!,
  };
}
