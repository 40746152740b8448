-- A million requests per tenant (issue 16): the console must stay fast as a tenant grows.
-- request_stats: the overview's rollup (tenant × UTC hour of receipt × status × deciding authorizer ×
-- latency bucket), kept by the submit and finalize statements themselves; backfilled below.
-- One GIN index answers the list filters and the text search (btree_gin + pg_trgm, both trusted
-- extensions, and both shipped with PGlite); for the authorizer filter it indexes a copy of each
-- request's target authorizer ids (they never change after the submit).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE TABLE "request_stats" (
	"tenant_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"status" "request_status" NOT NULL,
	"authorizer_id" uuid,
	"latency_bucket" smallint,
	"slot" smallint DEFAULT 0 NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"fail_open" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "request_stats_key_uq" UNIQUE NULLS NOT DISTINCT("tenant_id","bucket","status","authorizer_id","latency_bucket","slot")
);
--> statement-breakpoint
ALTER TABLE "authorization_requests" ADD COLUMN "target_authorizer_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
-- Hand-written: the copy for the requests already stored, before the index is built.
UPDATE "authorization_requests" AS r SET "target_authorizer_ids" = t."ids"
FROM (SELECT "request_id", array_agg("authorizer_id" ORDER BY "authorizer_id") AS "ids" FROM "request_targets" GROUP BY "request_id") AS t
WHERE t."request_id" = r."request_id";--> statement-breakpoint
ALTER TABLE "request_stats" ADD CONSTRAINT "request_stats_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "authorization_requests_filters_gin_idx" ON "authorization_requests" USING gin ("status","principal_type","action_type","action_category","fail_open","target_authorizer_ids","summary" gin_trgm_ops,"external_id" gin_trgm_ops);--> statement-breakpoint
-- Hand-written: how filter columns go together (an action type is sent by one kind of principal), so
-- the planner sees that a combination of common values can match nothing and reads by an index.
CREATE STATISTICS IF NOT EXISTS "authorization_requests_filter_stats" (dependencies, mcv)
  ON "status", "principal_type", "action_type", "action_category" FROM "authorization_requests";--> statement-breakpoint
-- Hand-written: the rollup of the requests already stored (the latency bucket as in db/queries/request-stats-rollup.ts).
INSERT INTO "request_stats" ("tenant_id", "bucket", "status", "authorizer_id", "latency_bucket", "requests", "fail_open")
SELECT "tenant_id", date_trunc('hour', "created_at", 'UTC'), "status", "decision_authorizer_id",
  CASE WHEN "decision_authorizer_id" IS NOT NULL AND "decided_at" IS NOT NULL
    THEN floor(4 * ln(greatest(extract(epoch from ("decided_at" - "created_at")) * 1000, 1)::float8) / ln(2))::smallint END,
  count(*)::int, (count(*) FILTER (WHERE "fail_open"))::int
FROM "authorization_requests" GROUP BY 1, 2, 3, 4, 5;
