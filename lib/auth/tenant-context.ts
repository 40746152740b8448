import type { MemberRole } from "@/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { rolePermissions, type Permission } from "./permissions";

export type Actor =
  | { type: "user"; userId: string; role: MemberRole }
  | { type: "api_key"; apiKeyId: string }
  | { type: "system"; component: "worker" | "authorizer_callback" | "seed" | "onboarding" };

/**
 * Proof that the caller was authenticated and belongs to `tenantId`. Every tenant-owned query takes
 * one. Only lib/auth creates them (see `issueTenantContext`), and queries check the brand at run
 * time, so a context cannot be built from request input or an object literal.
 */
export interface TenantContext {
  readonly tenantId: string;
  readonly actor: Actor;
  readonly permissions: ReadonlySet<Permission>;
}

const issued = new WeakSet<TenantContext>();

/** For lib/auth only (enforced by the lint rule in eslint.config.mjs). */
export function issueTenantContext(tenantId: string, actor: Actor, granted?: Iterable<Permission>): TenantContext {
  const perms = new Set(granted ?? (actor.type === "user" ? rolePermissions[actor.role] : []));
  const context: TenantContext = Object.freeze({ tenantId, actor, permissions: perms });
  issued.add(context);
  return context;
}

/** Throws unless `ctx` came from an auth wrapper. Called by every tenant-scoped query helper. */
export function assertTenantContext(ctx: TenantContext): string {
  if (!issued.has(ctx)) throw new Error("TenantContext was not issued by lib/auth");
  return ctx.tenantId;
}

export function can(ctx: TenantContext, permission: Permission): boolean {
  return ctx.permissions.has(permission);
}

export function requirePermission(ctx: TenantContext, permission: Permission): void {
  if (can(ctx, permission)) return;
  throw ctx.actor.type === "api_key"
    ? new AppError("insufficient_scope", `This API key lacks the scope for ${permission}`)
    : new AppError("forbidden", `Your role does not allow ${permission}`);
}

/** Audit actor string for rows written on behalf of `ctx`. */
export function actorLabel(ctx: TenantContext): string {
  const actor = ctx.actor;
  if (actor.type === "user") return `user:${actor.userId}`;
  return actor.type === "api_key" ? `api_key:${actor.apiKeyId}` : `system:${actor.component}`;
}
