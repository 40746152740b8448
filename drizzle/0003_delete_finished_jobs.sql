-- Why: finished jobs were kept with done_at set, so the outbox grew without bound and every claim,
-- reschedule and close rewrote the partial indexes (their predicate column changed). A finished
-- job is now deleted (the request's timeline tells its story): the table holds open work only.
DELETE FROM "jobs" WHERE "done_at" IS NOT NULL;--> statement-breakpoint
DROP INDEX "jobs_due_idx";--> statement-breakpoint
DROP INDEX "jobs_open_uq";--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "jobs" USING btree ("run_at");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_open_uq" ON "jobs" USING btree ("kind","request_id","target");--> statement-breakpoint
ALTER TABLE "jobs" DROP COLUMN "done_at";
