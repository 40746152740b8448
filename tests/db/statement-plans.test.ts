import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseHandle } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { registeredStatements } from "@/db/statement";
// Importing these modules registers every hot statement.
import "@/db/queries/authorization-requests";
import "@/db/queries/bench-floor";
import "@/db/queries/request-events";
import "@/db/queries/request-finalize";
import "@/db/queries/request-lifecycle";
import "@/db/queries/request-targets";
import { createScratchDatabase } from "../setup/scratch-database";

// The tables that grow with traffic, and the indexes a hot statement may read them by: each one
// keyed by request first, so a lookup reads one request's rows whatever the table holds.
const growingTables: Record<string, string[]> = {
  authorization_requests: ["authorization_requests_pkey"],
  request_targets: ["request_targets_request_id_authorizer_id_pk"],
  request_events: ["request_events_request_idx"],
  jobs: ["jobs_open_uq"],
  executions: ["executions_pkey"],
  webhook_deliveries: ["webhook_deliveries_pkey"],
};

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
  "Conflict Arbiter Indexes"?: string[];
}

/** Every read of a growing table in a plan: how it reads it, by which index, on which condition. */
function readsOfGrowingTables(node: PlanNode, out: string[] = []): string[] {
  const reads = ["Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Index Scan", "Bitmap Heap Scan", "Tid Scan"];
  const table =
    node["Relation Name"] ??
    (node["Index Name"]
      ? Object.keys(growingTables).find(
          (t) => growingTables[t]!.includes(node["Index Name"]!) || node["Index Name"]!.startsWith(t),
        )
      : undefined);
  if (
    reads.includes(node["Node Type"]) &&
    table &&
    table in growingTables &&
    node["Node Type"] !== "Bitmap Heap Scan"
  ) {
    out.push(
      `${node["Node Type"]} on ${table} using ${node["Index Name"] ?? "-"} (${node["Index Cond"] ?? "no condition"})`,
    );
  }
  for (const child of node.Plans ?? []) readsOfGrowingTables(child, out);
  return out;
}

/**
 * The plan Postgres keeps for a named statement can be a generic one made on the statistics of the
 * moment — on a new database, empty tables never analysed. Such a plan once read every pending
 * request (a partial index) or every target of an authorizer on each decision write. This checks
 * each hot statement's generic plan on exactly that database: every growing table is read by a
 * request-keyed index with the request as its condition.
 */
async function genericPlanReads(handle: DatabaseHandle, name: string, text: string): Promise<string[]> {
  return readsOfGrowingTables(await genericPlan(handle, name, text));
}

/** The rollup upserts of a plan: the table each insert goes to and the unique index its conflicts are found by. */
function rollupUpserts(node: PlanNode, out: string[] = []): string[] {
  if (node["Relation Name"] === "request_stats" && node["Conflict Arbiter Indexes"])
    out.push(`request_stats by ${node["Conflict Arbiter Indexes"].join(",")}`);
  for (const child of node.Plans ?? []) rollupUpserts(child, out);
  return out;
}

async function genericPlan(handle: DatabaseHandle, name: string, text: string): Promise<PlanNode> {
  const params = Math.max(0, ...[...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  return handle.withSingleConnection(async (db) => {
    let prepared = false;
    await db.execute(sql.raw("set plan_cache_mode = force_generic_plan"));
    try {
      await db.execute(sql.raw(`prepare plan_check_${name} as ${text}`));
      prepared = true;
      const result = await db.execute(
        sql.raw(`explain (format json) execute plan_check_${name}(${Array(params).fill("null").join(", ")})`),
      );
      const [row] = (result as unknown as { rows: Record<string, unknown>[] }).rows;
      const plan = Object.values(row!)[0];
      const parsed = (typeof plan === "string" ? JSON.parse(plan) : plan) as { Plan: PlanNode }[];
      return parsed[0]!.Plan;
    } finally {
      if (prepared) await db.execute(sql.raw(`deallocate plan_check_${name}`));
      await db.execute(sql.raw("reset plan_cache_mode"));
    }
  });
}

function checkPlans(label: string, open: () => Promise<{ handle: DatabaseHandle; close: () => Promise<void> }>) {
  describe(`generic plans of the hot statements (${label}, new empty database)`, () => {
    let handle: DatabaseHandle;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ handle, close } = await open());
      await runMigrations(handle);
    });
    afterAll(async () => close?.());

    it("registers the statements of the submit and decision paths", () => {
      expect(registeredStatements().map((s) => s.name)).toEqual(
        expect.arrayContaining([
          "record_request",
          "mark_targets_pending",
          "request_view",
          "finalize_decision",
          "finalize_expiry",
          "finalize_all_targets_failed",
          "finalize_none",
        ]),
      );
    });

    it("reads every growing table by a request-keyed index, with the request as the condition", async () => {
      const readsOf: Record<string, string[]> = {};
      for (const statement of registeredStatements()) {
        const reads = (readsOf[statement.name] = await genericPlanReads(handle, statement.name, statement.text()));
        for (const read of reads) {
          const [, table, index] = read.match(/ on (\w+) using (\S+)/) ?? [];
          expect.soft(growingTables[table!], `${statement.name}: ${read}`).toContain(index);
          expect.soft(read, `${statement.name}: ${read}`).toMatch(/\(.*request_id = /);
        }
      }
      // The decision write finds its request by primary key (the check above is not vacuous).
      expect(readsOf.finalize_decision).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Index Scan on authorization_requests using authorization_requests_pkey/),
        ]),
      );
    });

    it("counts every status change in the overview's rollup by one upsert on its key", async () => {
      for (const statement of registeredStatements().filter(
        (s) => s.name === "record_request" || s.name.startsWith("finalize_"),
      )) {
        const plan = await genericPlan(handle, statement.name, statement.text());
        expect(rollupUpserts(plan), statement.name).toEqual(["request_stats by request_stats_key_uq"]);
      }
    });
  });
}

checkPlans("PGlite", async () => {
  const handle = createDatabase("", "memory://");
  return { handle, close: () => handle.close() };
});

const serverUrl = process.env.TEST_DATABASE_URL;
if (serverUrl) {
  checkPlans("PostgreSQL", async () => {
    // A database of its own: the shared test database already holds other tests' rows.
    const scratch = await createScratchDatabase(serverUrl, `${new URL(serverUrl).pathname.slice(1)}_plans`);
    const handle = createDatabase(scratch.url);
    return {
      handle,
      close: async () => {
        await handle.close();
        await scratch.drop();
      },
    };
  });
}
