-- Why (issue 16, the submit's cost): the foreign keys from request_events and request_targets to the
-- request ran a check per inserted row that locked the request row FOR KEY SHARE, and a row lock is
-- written into the row itself (its xmax, WAL-logged): a pending submit locked its request in the
-- statement that inserted it and again in the one that recorded the authorizer's answer, and every
-- later event (decision, delivery, report) did the same. Measured without them: ~50-75 µs less
-- PostgreSQL CPU per pending submit (of ~970).
-- Nothing is lost: every statement that writes an event selects its request (of the caller's tenant)
-- in the same statement, targets are written only by the statement that inserts their request, and
-- the retention purge deletes a request's events and targets itself (db/queries/retention.ts).
ALTER TABLE "request_events" DROP CONSTRAINT "request_events_request_id_authorization_requests_request_id_fk";
--> statement-breakpoint
ALTER TABLE "request_targets" DROP CONSTRAINT "request_targets_request_id_authorization_requests_request_id_fk";
