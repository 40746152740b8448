-- Why (issue 16, the submit's cost): every insert into a table with a foreign key to tenants locks the
-- tenant's one row (FOR KEY SHARE). A pending submit inserted 8 such rows in two transactions, and all
-- of a tenant's concurrent submits and decisions lock that same row: with many of them at once each
-- lock creates a new multixact over every current locker, and every check runs a query of its own.
-- request_events and request_targets keep their foreign key to the request (which cascades with its
-- tenant) and the statements write them under the request's tenant (tests/db/queries/tenant-scoped-writes).
-- jobs keep no foreign key; the product never deletes a tenant.
ALTER TABLE "request_events" DROP CONSTRAINT "request_events_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "request_targets" DROP CONSTRAINT "request_targets_tenant_id_tenants_id_fk";
--> statement-breakpoint
ALTER TABLE "jobs" DROP CONSTRAINT "jobs_tenant_id_tenants_id_fk";
