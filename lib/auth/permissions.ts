import type { ApiKeyScope, MemberRole } from "@/db/schema";

/** What a caller may do inside its tenant. Roles and API-key scopes both map onto these. */
export const permissions = ["requests:read", "requests:write", "config:read", "config:write", "members:manage", "keys:manage"] as const;
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
