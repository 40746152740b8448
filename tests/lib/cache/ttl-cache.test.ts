import { describe, expect, it } from "vitest";
import { TtlCache } from "@/lib/cache/ttl-cache";

describe("TtlCache", () => {
  it("shares one load among concurrent misses and serves it until the TTL runs out", async () => {
    let loads = 0;
    const cache = new TtlCache<string, number>({ ttlMs: 60_000, maxEntries: 10, version: () => 0 });
    const load = async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 10));
      return 42;
    };
    const values = await Promise.all(Array.from({ length: 50 }, () => cache.get("k", load)));
    expect(values).toEqual(Array(50).fill(42));
    expect(loads).toBe(1);
    expect(await cache.get("k", load)).toBe(42);
    expect(loads).toBe(1);
  });

  it("reads again at once when the version moves, and after the TTL", async () => {
    let version = 0;
    let loads = 0;
    const cache = new TtlCache<string, number>({ ttlMs: 30, maxEntries: 10, version: () => version });
    const load = async () => (loads += 1);
    expect(await cache.get("k", load)).toBe(1);
    version += 1;
    expect(await cache.get("k", load)).toBe(2);
    expect(await cache.get("k", load)).toBe(2);
    await new Promise((r) => setTimeout(r, 40));
    expect(await cache.get("k", load)).toBe(3);
  });

  it("keeps neither a failed load nor one that found nothing", async () => {
    const cache = new TtlCache<string, string | null>({ ttlMs: 60_000, maxEntries: 10, version: () => 0 });
    await expect(
      cache.get("k", async () => {
        throw new Error("database down");
      }),
    ).rejects.toThrow("database down");
    expect(await cache.get("k", async () => null)).toBeNull();
    expect(await cache.get("k", async () => "found")).toBe("found");
    expect(await cache.get("k", async () => "not asked")).toBe("found");
  });
});
