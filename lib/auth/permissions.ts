import { apiKeyScopes } from "@/db/enum-values";
import type { ApiKeyScope, MemberRole } from "@/db/schema";
import type { TenantContext } from "./tenant-context";

/** What a caller may do inside its tenant. Roles and API-key scopes both map onto these. */
export const permissions = [
  "requests:read",
  "requests:write",
  "config:read",
  "config:write",
  "members:manage",
  "keys:manage",
] as const;
export type Permission = (typeof permissions)[number];

// Viewers read, admins configure, owners also manage members and keys.
export const rolePermissions: Record<MemberRole, readonly Permission[]> = {
  viewer: ["requests:read", "config:read"],
  admin: ["requests:read", "requests:write", "config:read", "config:write"],
  owner: ["requests:read", "requests:write", "config:read", "config:write", "members:manage", "keys:manage"],
};

// An SP service's key: `admin` is the infrastructure-as-code scope (configuration and keys).
export const scopePermissions: Record<ApiKeyScope, readonly Permission[]> = {
  "requests:read": ["requests:read"],
  "requests:write": ["requests:write"],
  admin: ["config:read", "config:write", "keys:manage"],
};

export function permissionsOfScopes(scopes: readonly ApiKeyScope[]): Set<Permission> {
  return new Set(scopes.flatMap((scope) => scopePermissions[scope] ?? []));
}

/**
 * The API-key scopes a caller may put on a new key: those whose every permission it holds itself, so
 * a key or a role can never mint more than it has. An `admin`-only key grants `admin` only; a viewer
 * `requests:read`; an admin `requests:read` and `requests:write`; an owner all three. (Creating a key
 * at all still needs `keys:manage`.)
 */
export function grantableScopes(ctx: TenantContext): ApiKeyScope[] {
  return apiKeyScopes.filter((scope) => scopePermissions[scope].every((permission) => ctx.permissions.has(permission)));
}
