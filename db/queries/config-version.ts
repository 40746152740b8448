/**
 * A per-process counter per tenant, bumped after every configuration write (authorizers, signing
 * keys, settings). Caches of a tenant's configuration compare it, so a change made through this
 * process applies to the very next request; other instances pick it up when their short cache
 * lifetime runs out (lib/gateway/tenant-runtime.ts).
 */
const versions = new Map<string, number>();

export function bumpConfigVersion(tenantId: string): void {
  versions.set(tenantId, (versions.get(tenantId) ?? 0) + 1);
}

export function configVersion(tenantId: string): number {
  return versions.get(tenantId) ?? 0;
}
