-- Execution exactly once (issue 14): the tenant's execution window, when each approval's window closes,
-- result reports to the deciding authorizer (a job kind, per-execution delivery, per-authorizer opt-out).
ALTER TYPE "public"."job_kind" ADD VALUE 'report';--> statement-breakpoint
ALTER TABLE "authorizers" ADD COLUMN "result_reports_unsupported_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "execution_window_seconds" integer DEFAULT 600 NOT NULL;--> statement-breakpoint
ALTER TABLE "authorization_requests" ADD COLUMN "execution_closes_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "result_reported_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "result_reported_via" text;--> statement-breakpoint
-- Approvals decided before this migration get the default window, from their decision.
UPDATE "authorization_requests" SET "execution_closes_at" = least("decided_at" + interval '10 minutes', "expires_at") WHERE "status" = 'approved';
