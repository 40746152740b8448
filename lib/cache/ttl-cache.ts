/**
 * A small per-process cache for hot reads that may be a moment old (a tenant's configuration, an
 * API key, an authorizer). Concurrent misses for one key share a single load — without that, 50
 * requests arriving as an entry runs out all read the database. A failed load, or one that found
 * nothing (null), is not kept: an unknown key is asked again, and guesses cannot fill the cache.
 * An entry's age counts from when its load began, so nothing is served more than `ttlMs` after it
 * was read. `version` names what the entry depends on (a counter bumped by writes in this
 * process): when it moves, the entry is read again at once.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { startedAt: number; version: number; value: Promise<V> }>();

  constructor(private readonly options: { ttlMs: number; maxEntries: number; version: (key: K) => number }) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const version = this.options.version(key);
    const hit = this.entries.get(key);
    if (hit && hit.version === version && now - hit.startedAt < this.options.ttlMs) return hit.value;
    const entry = { startedAt: now, version, value: load() };
    if (this.options.ttlMs <= 0) return entry.value;
    if (!hit && this.entries.size >= this.options.maxEntries) this.entries.clear();
    this.entries.set(key, entry);
    const forget = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    entry.value.then((value) => value === null && forget(), forget);
    return entry.value;
  }
}
