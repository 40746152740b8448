import type { TenantContext } from "@/lib/auth/tenant-context";
import type { Database } from "./client";
import { tenantIdOf } from "./queries/tenant-scope";

/**
 * Group commit for a hot write whose items are independent: while a tenant's statements are in
 * flight (at most `lanes` at once), that tenant's next items wait and then go out together, as one
 * statement of at most `maxBatch` items. An item that finds a lane free goes out at once, so an idle
 * server adds no latency; under load, one statement and one commit carry many items (a pending
 * submit's second write, batched: 1.18× the submit throughput of one statement each, side by side).
 *
 * - Only for writes whose loss is recoverable from the database: an item waiting here when the
 *   process dies is not written, as if the process had died before sending it.
 * - A failed batch of several items is written again item by item, so one item the database refuses
 *   (or a deadlock) fails that item alone, as without batching; each caller sees its own outcome.
 * - Two lanes: a statement that hangs (a connection lost mid-query) holds one, and the tenant's
 *   other items keep going through the other.
 * - Items of different tenants (and different database handles) never share a statement: each is
 *   scoped to the one tenant of its items, as every tenant statement is, and one tenant's queue
 *   never waits for another's.
 * - Not for use inside a transaction: a batch runs on the handle of whichever caller started it.
 */
export function groupCommit<Item>(
  write: (db: Database, ctx: TenantContext, items: Item[]) => Promise<unknown>,
  { maxBatch = 64, lanes = 2 }: { maxBatch?: number; lanes?: number } = {},
): (db: Database, ctx: TenantContext, item: Item) => Promise<void> {
  type Waiting = { item: Item; settle: (error?: unknown) => void };
  type Queue = { waiting: Waiting[]; inFlight: number };
  const queues = new WeakMap<Database, Map<string, Queue>>();

  async function writeSettling(db: Database, ctx: TenantContext, batch: Waiting[]): Promise<void> {
    try {
      await write(
        db,
        ctx,
        batch.map((w) => w.item),
      );
      for (const w of batch) w.settle();
    } catch (error) {
      if (batch.length === 1) batch[0]!.settle(error ?? new Error("group commit failed"));
      else for (const w of batch) await writeSettling(db, ctx, [w]);
    }
  }

  async function lane(db: Database, ctx: TenantContext, tenants: Map<string, Queue>, queue: Queue): Promise<void> {
    try {
      while (queue.waiting.length > 0) await writeSettling(db, ctx, queue.waiting.splice(0, maxBatch));
    } finally {
      queue.inFlight -= 1;
      if (queue.inFlight === 0 && queue.waiting.length === 0) tenants.delete(tenantIdOf(ctx));
    }
  }

  return (db, ctx, item) => {
    const tenantId = tenantIdOf(ctx);
    let tenants = queues.get(db);
    if (!tenants) queues.set(db, (tenants = new Map()));
    let queue = tenants.get(tenantId);
    if (!queue) tenants.set(tenantId, (queue = { waiting: [], inFlight: 0 }));
    const [mine, all] = [queue, tenants];
    return new Promise<void>((resolve, reject) => {
      mine.waiting.push({ item, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      if (mine.inFlight < lanes) {
        mine.inFlight += 1;
        void lane(db, ctx, all, mine);
      }
    });
  };
}
