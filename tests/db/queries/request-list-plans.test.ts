import { eq, sql, TransactionRollbackError } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseHandle } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { authorizers } from "@/db/schema";
import {
  filterIndexListQuery,
  listRequests,
  recentListQuery,
  type RequestListFilters,
} from "@/db/queries/authorization-requests";
import { createGatewayTenant } from "../../setup/gateway";
import { seedRequests } from "../../bench/scale-seed";
import { createScratchDatabase } from "../../setup/scratch-database";

// The console's list filters and text search on a tenant with thousands of requests, on PGlite and
// PostgreSQL: pg_trgm is there on both, search finds what it should, and a filter that matches
// nothing is answered from its index instead of by reading the whole tenant newest-first.
const ROWS = 12_000;
const AUTHORIZERS = ["security", "finance", "oncall", "idle"];

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

function checkLists(label: string, open: () => Promise<{ handle: DatabaseHandle; close: () => Promise<void> }>) {
  describe(`console list queries at ${ROWS.toLocaleString("en")} requests (${label})`, () => {
    let handle: DatabaseHandle;
    let close: () => Promise<void>;
    let tenant: Awaited<ReturnType<typeof createGatewayTenant>>;
    beforeAll(async () => {
      ({ handle, close } = await open());
      await runMigrations(handle);
      tenant = await createGatewayTenant(handle.db, {
        appUrl: "http://127.0.0.1:9",
        authorizers: AUTHORIZERS.map((name) => ({ name, url: `http://127.0.0.1:9/${name}` })),
      });
      await seedRequests(handle.db, {
        tenantId: tenant.tenantId,
        rows: ROWS,
        salt: "plans",
        authorizerIds: AUTHORIZERS.map((n) => tenant.authorizers[n]!.id),
        authorizerNames: AUTHORIZERS,
      });
      await handle.db.execute(sql.raw("analyze"));
    }, 120_000);
    afterAll(async () => close?.());

    const list = (f: Partial<RequestListFilters>) => listRequests(handle.db, tenant.ctx, { limit: 25, ...f });
    // At this size reading the tenant's rows is cheap enough for the planner to prefer it (at a
    // million it is not: see `npm run bench:scale`). With `filterIndexOnly` the plan is made, and
    // rolled back, without the tenant-leading indexes and sequential scans: it checks that the filter
    // index serves every condition (enum, uuid[], trigrams) whatever the planner prefers here.
    async function readsOf(
      f: Partial<RequestListFilters>,
      options: {
        filterIndexOnly?: boolean;
        /** Keep every index, only rule out sequential scans (a small table's cheapest full read). */
        noSeqScan?: boolean;
        authorizerId?: string;
        /** Which step's plan: the filter index's (the default) or the recent window's. */
        step?: "recent" | "filter-index";
      } = {},
    ): Promise<string[]> {
      let result: { rows: Record<string, unknown>[] } | undefined;
      await handle.db
        .transaction(async (tx) => {
          if (options.filterIndexOnly) {
            for (const index of ["authorization_requests_idempotency_uq", "authorization_requests_tenant_created_idx"])
              await tx.execute(sql.raw(`drop index ${index}`));
            await tx.execute(sql.raw("set local enable_seqscan = off"));
          }
          if (options.noSeqScan) await tx.execute(sql.raw("set local enable_seqscan = off"));
          result = (await tx.execute(
            sql`explain (format json) ${
              options.step === "recent"
                ? recentListQuery(tx, tenant.ctx, { limit: 25, ...f }, options.authorizerId).getSQL()
                : filterIndexListQuery(tx, tenant.ctx, { limit: 25, ...f }, options.authorizerId)
            }`,
          )) as unknown as { rows: Record<string, unknown>[] };
          tx.rollback();
        })
        .catch((error) => {
          if (!(error instanceof TransactionRollbackError)) throw error;
        });
      const plan = Object.values(result!.rows[0]!)[0];
      const [root] = (typeof plan === "string" ? JSON.parse(plan) : plan) as { Plan: PlanNode }[];
      return nodesOf(root!.Plan)
        .filter(
          (n) =>
            n["Relation Name"] === "authorization_requests" || n["Index Name"]?.startsWith("authorization_requests"),
        )
        .map((n) => {
          // An index scan with the condition it starts from (a bitmap scan's is the filter's own).
          const cond = n["Node Type"].startsWith("Index") && n["Index Cond"] ? ` on ${n["Index Cond"]}` : "";
          return `${n["Node Type"]} ${n["Index Name"] ?? ""}${cond}`.trim();
        });
    }

    it("has pg_trgm, and text search finds a summary word and an external id", async () => {
      const result = (await handle.db.execute(
        sql`select extname from pg_extension where extname = 'pg_trgm'`,
      )) as unknown as { rows: unknown[] };
      expect(result.rows).toHaveLength(1);
      const word = await list({ q: "prod-db-7" });
      expect(word.data.length).toBeGreaterThan(0);
      expect(word.data.every((r) => r.summary.includes("prod-db-7"))).toBe(true);
      const one = await list({ q: "plans-4242" });
      expect(one.data.map((r) => r.externalId)).toEqual(["ext-plans-4242"]);
      expect(one.data.every((r) => r.externalId!.includes("plans-4242"))).toBe(true);
      expect((await list({ q: "zzqxj" })).data).toEqual([]);
    });

    it("can search by the filter index's trigrams (escaped LIKE patterns and all)", async () => {
      const reads = await readsOf({ q: "zz_q%xj" }, { filterIndexOnly: true });
      expect(reads).toEqual(expect.arrayContaining(["Bitmap Index Scan authorization_requests_filters_gin_idx"]));
    });

    it.each([
      { status: "cancelled", principalType: "service", actionType: "no.such.action" },
      { category: "no.such.category" },
      { principalType: "robot" },
      // Common on their own (a fifth of all requests each), never together.
      { principalType: "human", actionType: "deploy.production" },
      { authorizerName: "finance", actionType: "deploy.production" },
      { authorizerName: "idle" },
    ])("can answer a filter matching nothing from the filter index: %o", async ({ authorizerName, ...filters }) => {
      const f = { ...filters, authorizer: authorizerName } as Partial<RequestListFilters>;
      expect((await list(f)).data).toEqual([]);
      const authorizerId = authorizerName ? tenant.authorizers[authorizerName]!.id : undefined;
      expect(await readsOf(f, { filterIndexOnly: true, authorizerId })).toEqual([
        "Bitmap Heap Scan",
        "Bitmap Index Scan authorization_requests_filters_gin_idx",
      ]);
    });

    it("filters by authorizer by id, so a renamed authorizer keeps its requests", async () => {
      const before = await list({ authorizer: "oncall" });
      expect(before.data.length).toBe(25);
      await handle.db
        .update(authorizers)
        .set({ name: "oncall-renamed" })
        .where(eq(authorizers.id, tenant.authorizers.oncall!.id));
      try {
        expect((await list({ authorizer: "oncall-renamed" })).data).toEqual(before.data);
        expect((await list({ authorizer: "oncall" })).data).toEqual([]);
      } finally {
        await handle.db
          .update(authorizers)
          .set({ name: "oncall" })
          .where(eq(authorizers.id, tenant.authorizers.oncall!.id));
      }
    });

    // The list reads the newest requests first and asks the filter index only when they did not fill
    // the page. With a window of 300 (instead of RECENT_WINDOW) both steps run here; every page, for
    // common, rare and empty filters alike, must be what one plain newest-first query answers.
    it.each([
      { status: "approved" },
      { actionType: "account.close" },
      { status: "denied", actionType: "account.close" },
      { q: "plans-42" },
      { authorizerName: "finance", actionType: "invoice.approve" },
      { authorizerName: "finance", actionType: "deploy.production" },
      { category: "infra.destroy", from: new Date(Date.now() - 20 * 86_400_000) },
    ])("pages through the same requests in two steps as in one: %o", async ({ authorizerName, ...filters }) => {
      const f = { ...filters, authorizer: authorizerName } as Partial<RequestListFilters>;
      const pages = async (recentWindow: number) => {
        const out: Awaited<ReturnType<typeof listRequests>>["data"][] = [];
        let cursor: RequestListFilters["cursor"];
        for (let page = 0; page < 4; page++) {
          const result = await listRequests(handle.db, tenant.ctx, { limit: 25, ...f, cursor }, { recentWindow });
          out.push(result.data);
          if (!result.nextCursor) break;
          const last = result.data.at(-1)!;
          cursor = { createdAt: last.createdAt, requestId: last.requestId };
        }
        return out;
      };
      const oneStep = await pages(ROWS * 2); // the window holds the whole tenant: one plain query
      const twoSteps = await pages(300);
      expect(twoSteps).toEqual(oneStep);
      if (filters.actionType !== "deploy.production") expect(oneStep[0]!.length).toBeGreaterThan(0);
    });

    // Its subquery is fenced (`offset 0`): planned to fetch every match, never as the newest-first walk
    // of the tenant that stops after a page — which is what the same query without the fence gets here.
    it("plans the second step to fetch every match, never as the newest-first walk", async () => {
      const reads = await readsOf(
        { actionType: "deploy.production" },
        { noSeqScan: true, authorizerId: tenant.authorizers.finance!.id },
      );
      // The walk is an ordered scan of the tenant's list index; a bitmap scan fetches every row it
      // names, unordered (with sequential scans ruled out, a small table's plan may use one on any
      // index that starts with the tenant).
      expect(reads.filter((r) => /^Index (Only )?Scan\b.*tenant_created_idx/.test(r))).toEqual([]);
    });

    it("starts a later page's scan at the cursor instead of reading every newer request again", async () => {
      const first = await list({});
      const last = first.data.at(-1)!;
      const reads = await readsOf(
        { cursor: { createdAt: last.createdAt, requestId: last.requestId } },
        { step: "recent", noSeqScan: true },
      );
      const scan = reads.find((r) => r.includes("authorization_requests_tenant_created_idx"));
      expect(scan).toMatch(/created_at/);
    });

    it("filters by status through the status index when the status is rare", async () => {
      const reads = await readsOf({ status: "pending", from: new Date(Date.now() - 3_600_000) }, { step: "recent" });
      expect(reads.join("; ")).toMatch(/authorization_requests_(filters_gin|tenant_created)_idx/);
      expect((await list({ status: "pending" })).data.every((r) => r.status === "pending")).toBe(true);
    });
  });
}

checkLists("PGlite", async () => {
  const handle = createDatabase("", "memory://");
  return { handle, close: () => handle.close() };
});

const serverUrl = process.env.TEST_DATABASE_URL;
if (serverUrl) {
  checkLists("PostgreSQL", async () => {
    const scratch = await createScratchDatabase(serverUrl, `${new URL(serverUrl).pathname.slice(1)}_lists`);
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
