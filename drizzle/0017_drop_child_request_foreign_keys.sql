-- Why (issue 16, the submit's cost): the foreign keys from request_events and request_targets to the
-- request ran a check per inserted row that locked the request row FOR KEY SHARE, and a row lock is
-- written into the row itself (its xmax, WAL-logged): a pending submit locked its request in the
-- statement that inserted it and again in the one that recorded the authorizer's answer, and every
-- later event did the same. Measured by dropping the keys on a running bench server and putting them
-- back, alternating: ~50 µs less PostgreSQL CPU per pending submit for the events' key alone (969 -> 920),
-- ~75 µs with the targets' keys as well.
-- What the keys guaranteed, the statements now do: every statement that writes an event selects its
-- request (of the caller's tenant) in the same statement; targets are written only by the statement
-- that inserts their request; an event appended to a request that may be closed locks its row FOR KEY
-- SHARE, as the key's check did, so the retention purge skips it; the purge deletes a request's events
-- and targets with it (db/queries/retention.ts); and audit verify names a timeline whose request row is
-- gone. Whoever deletes a tenant by hand deletes its requests' events and targets too: nothing cascades.
ALTER TABLE "request_events" DROP CONSTRAINT "request_events_request_id_authorization_requests_request_id_fk";
--> statement-breakpoint
ALTER TABLE "request_targets" DROP CONSTRAINT "request_targets_request_id_authorization_requests_request_id_fk";
