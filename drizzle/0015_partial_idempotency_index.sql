-- Why (issue 16, the submit's cost): every request without an Idempotency-Key entered this unique
-- index as (tenant, NULL) — at the submit, and again at its decision (which rewrites the row) — though
-- nothing can conflict with or look up a NULL key. Partial now: only keyed requests have an entry; the
-- submit's ON CONFLICT names the same predicate.
DROP INDEX "authorization_requests_idempotency_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "authorization_requests_idempotency_uq" ON "authorization_requests" USING btree ("tenant_id","idempotency_key") WHERE "authorization_requests"."idempotency_key" is not null;