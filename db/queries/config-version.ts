/**
 * Per-process counters bumped after every configuration write (authorizers, signing keys,
 * settings, API keys). Caches of configuration compare them, so a change made through this
 * process applies to the very next request; other instances pick it up when their short cache
 * lifetime runs out (lib/cache/ttl-cache.ts).
 */
const versions = new Map<string, number>();
let anyChange = 0;

export function bumpConfigVersion(tenantId: string): void {
  versions.set(tenantId, (versions.get(tenantId) ?? 0) + 1);
  anyChange += 1;
}

export function configVersion(tenantId: string): number {
  return versions.get(tenantId) ?? 0;
}

/** Moves on any tenant's change: for caches keyed by something that does not name the tenant (an API key's secret). */
export function anyConfigVersion(): number {
  return anyChange;
}
