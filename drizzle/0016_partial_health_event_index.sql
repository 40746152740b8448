-- Why (issue 16, the submit's cost): this index (renamed for what it holds) serves one query, the
-- console's authorizer health, which counts four event types. Every other event entered it too: of
-- the four events a pending submit writes, only its authorizer_attempt is counted. Partial now, on the
-- same list the query names (db/schema/authorization-requests.ts, authorizerOutcomeEventTypes).
DROP INDEX "request_events_tenant_idx";--> statement-breakpoint
CREATE INDEX "request_events_authorizer_outcomes_idx" ON "request_events" USING btree ("tenant_id","created_at") WHERE type in ('authorizer_attempt', 'decision_accepted', 'decision_refused', 'submit_failed');