-- Why: every junk POST to /api/stepauth/callback/{id} wrote its own audit row, so anyone could bury the
-- audit trail. Refused callbacks are now summarised: one row per authorizer per minute, found by its
-- summary_key and updated in place (count, first and last cause). NULL (every other row) never conflicts.
ALTER TABLE "audit_events" ADD COLUMN "summary_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_summary_key_idx" ON "audit_events" USING btree ("summary_key");