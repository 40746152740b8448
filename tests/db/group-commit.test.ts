import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { groupCommit } from "@/db/group-commit";
import { issueTenantContext } from "@/lib/auth/tenant-context";

// The batching alone, with a write that records what it was given and finishes when the test says so.
const ctxOf = (tenantId: string) => issueTenantContext(tenantId, { type: "user", userId: randomUUID(), role: "owner" });
const handle = () => ({}) as Database;

function recordingWrite() {
  const calls: { tenantId: string; items: number[]; finish: (error?: Error) => void }[] = [];
  const write = (_db: Database, ctx: ReturnType<typeof ctxOf>, items: number[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ tenantId: ctx.tenantId, items, finish: (error) => (error ? reject(error) : resolve()) });
    });
  return { calls, write };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("groupCommit", () => {
  it("writes an item alone at once when a lane is free", async () => {
    const { calls, write } = recordingWrite();
    const commit = groupCommit(write);
    const done = commit(handle(), ctxOf(randomUUID()), 1);
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    calls[0]!.finish();
    await expect(done).resolves.toBeUndefined();
  });

  it("sends what arrived during a write as the next statement, at most maxBatch items each", async () => {
    const { calls, write } = recordingWrite();
    const commit = groupCommit(write, { maxBatch: 3, lanes: 1 });
    const db = handle();
    const ctx = ctxOf(randomUUID());
    const done = [commit(db, ctx, 1)];
    await tick();
    for (let i = 2; i <= 6; i += 1) done.push(commit(db, ctx, i));
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    calls[0]!.finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    calls[1]!.finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4], [5, 6]]);
    calls[2]!.finish();
    await expect(Promise.all(done)).resolves.toHaveLength(6);
  });

  it("writes a failed batch again item by item, so only the item the write refuses fails", async () => {
    const { calls, write } = recordingWrite();
    const commit = groupCommit(write, { lanes: 1 });
    const db = handle();
    const ctx = ctxOf(randomUUID());
    const first = commit(db, ctx, 1);
    await tick();
    const second = [commit(db, ctx, 2), commit(db, ctx, 3), commit(db, ctx, 4)].map((item) =>
      item.then(
        () => "written",
        (error: Error) => error.message,
      ),
    );
    calls[0]!.finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    calls[1]!.finish(new Error("batch refused"));
    // Item by item, in order: 2 is written, 3 is refused again, 4 is written.
    for (const [index, outcome] of [
      [2, undefined],
      [3, new Error("item 3 refused")],
      [4, undefined],
    ] as const) {
      await tick();
      expect(calls[index]!.items).toEqual([index]);
      calls[index]!.finish(outcome);
    }
    await expect(first).resolves.toBeUndefined();
    expect(await Promise.all(second)).toEqual(["written", "item 3 refused", "written"]);
  });

  it("keeps writing through a second lane while one write hangs", async () => {
    const { calls, write } = recordingWrite();
    const commit = groupCommit(write);
    const db = handle();
    const ctx = ctxOf(randomUUID());
    void commit(db, ctx, 1); // never finishes
    const second = commit(db, ctx, 2);
    await tick();
    const later = [commit(db, ctx, 3), commit(db, ctx, 4)];
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
    calls[1]!.finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4]]);
    calls[2]!.finish();
    await expect(Promise.all([second, ...later])).resolves.toHaveLength(3);
  });

  it("never puts two tenants' items, or two database handles' items, in one statement", async () => {
    const { calls, write } = recordingWrite();
    const commit = groupCommit(write, { lanes: 1 });
    const [a, b] = [ctxOf(randomUUID()), ctxOf(randomUUID())];
    const [one, two] = [handle(), handle()];
    const done = [commit(one, a, 1), commit(one, b, 2), commit(two, a, 3)];
    await tick();
    expect(calls.map((c) => [c.tenantId, c.items])).toEqual([
      [a.tenantId, [1]],
      [b.tenantId, [2]],
      [a.tenantId, [3]],
    ]);
    const more = [commit(one, a, 4), commit(one, b, 5), commit(one, a, 6)];
    for (const call of calls.slice(0, 3)) call.finish();
    await tick();
    expect(calls.slice(3).map((c) => [c.tenantId, c.items])).toEqual([
      [a.tenantId, [4, 6]],
      [b.tenantId, [5]],
    ]);
    for (const call of calls.slice(3)) call.finish();
    await expect(Promise.all([...done, ...more])).resolves.toHaveLength(6);
  });
});
