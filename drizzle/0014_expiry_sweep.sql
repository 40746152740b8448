-- Why (issue 16, the submit's cost): each request had an expiry job — a row and four index entries
-- written by the submit, deleted again by its decision — for the rare request nobody decides. A
-- sweep (lib/gateway/expiry.ts) now finds overdue requests through this partial index: one entry per
-- undecided request, gone with its decision (every final status sets decided_at), overdue ones first.
-- Partial on decided_at rather than status: 0004 dropped an index on status = 'pending' because the
-- generic plans of the finalize statements, made on an empty table, read requests through it; no hot
-- statement's condition implies this predicate (tests/db/statement-plans.test.ts).
-- The expiry jobs already queued are removed: the sweep ends their requests.
CREATE INDEX "authorization_requests_undecided_expiry_idx" ON "authorization_requests" USING btree ("expires_at") WHERE "authorization_requests"."decided_at" is null;--> statement-breakpoint
DELETE FROM "jobs" WHERE "kind" = 'expire';
