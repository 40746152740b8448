-- Why: the gateway itself: tenant signing keys, authorizers and settings; each authorization request
-- with its targets, append-only events, the once-only execution claim, webhook deliveries, and the
-- job outbox that makes pending work survive restarts.
CREATE TYPE "public"."signing_key_state" AS ENUM('next', 'active', 'retired');--> statement-breakpoint
CREATE TYPE "public"."unavailability_policy" AS ENUM('fail_closed', 'fail_open');--> statement-breakpoint
CREATE TYPE "public"."delivery_status" AS ENUM('pending', 'delivered', 'failed');--> statement-breakpoint
CREATE TYPE "public"."execution_status" AS ENUM('executing', 'succeeded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."request_status" AS ENUM('pending', 'approved', 'denied', 'expired', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."target_state" AS ENUM('queued', 'pending', 'decided', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."job_kind" AS ENUM('submit', 'poll', 'cancel', 'expire', 'deliver');--> statement-breakpoint
CREATE TABLE "authorizers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"endpoint" text NOT NULL,
	"sp_id" text NOT NULL,
	"signing_key_id" text,
	"public_keys" jsonb NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"poll_only" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"key_id" text NOT NULL,
	"public_key" text NOT NULL,
	"private_key_ciphertext" text NOT NULL,
	"private_key_key_version" text NOT NULL,
	"state" "signing_key_state" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_at" timestamp with time zone,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tenant_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"routing_script" text,
	"unavailability_policy" "unavailability_policy" DEFAULT 'fail_closed' NOT NULL,
	"fail_open_set_by" uuid,
	"fail_open_set_by_api_key" uuid,
	"fail_open_set_at" timestamp with time zone,
	"retry_policy" jsonb,
	"default_expires_in" integer DEFAULT 1800 NOT NULL,
	"public_base_url" text,
	"webhook_url" text,
	"webhook_secret_ciphertext" text,
	"webhook_secret_key_version" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "authorization_requests" (
	"request_id" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"external_id" text,
	"idempotency_key" text,
	"body_hash" text NOT NULL,
	"status" "request_status" DEFAULT 'pending' NOT NULL,
	"status_reason" text,
	"fail_open" boolean DEFAULT false NOT NULL,
	"principal" jsonb NOT NULL,
	"action" jsonb NOT NULL,
	"principal_type" text NOT NULL,
	"action_type" text NOT NULL,
	"action_category" text,
	"summary" text NOT NULL,
	"routing_targets" text[] NOT NULL,
	"routing_fallback_reason" text,
	"routing_error" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decision_authorizer_id" uuid,
	"decision_key_id" text,
	"decision_reason" text,
	"decision_reviewers" jsonb,
	"decision_source" text,
	"decision_envelope" jsonb
);
--> statement-breakpoint
CREATE TABLE "executions" (
	"request_id" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"status" "execution_status" DEFAULT 'executing' NOT NULL,
	"error" text,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "request_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"request_id" text NOT NULL,
	"type" text NOT NULL,
	"authorizer_id" uuid,
	"data" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_targets" (
	"request_id" text NOT NULL,
	"authorizer_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"sp_id" text NOT NULL,
	"payload" text NOT NULL,
	"state" "target_state" DEFAULT 'queued' NOT NULL,
	"last_error" text,
	"poll_count" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_targets_request_id_authorizer_id_pk" PRIMARY KEY("request_id","authorizer_id")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"request_id" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"execute" boolean NOT NULL,
	"status" "delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"last_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kind" "job_kind" NOT NULL,
	"request_id" text NOT NULL,
	"target" text DEFAULT '' NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "authorizers" ADD CONSTRAINT "authorizers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD CONSTRAINT "tenant_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD CONSTRAINT "tenant_settings_fail_open_set_by_users_id_fk" FOREIGN KEY ("fail_open_set_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorization_requests" ADD CONSTRAINT "authorization_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "executions" ADD CONSTRAINT "executions_request_id_authorization_requests_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."authorization_requests"("request_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "executions" ADD CONSTRAINT "executions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_request_id_authorization_requests_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."authorization_requests"("request_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_targets" ADD CONSTRAINT "request_targets_request_id_authorization_requests_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."authorization_requests"("request_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_targets" ADD CONSTRAINT "request_targets_authorizer_id_authorizers_id_fk" FOREIGN KEY ("authorizer_id") REFERENCES "public"."authorizers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_targets" ADD CONSTRAINT "request_targets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_request_id_authorization_requests_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."authorization_requests"("request_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "authorizers_tenant_name_uq" ON "authorizers" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "authorizers_one_default_uq" ON "authorizers" USING btree ("tenant_id") WHERE "authorizers"."is_default";--> statement-breakpoint
CREATE INDEX "authorizers_tenant_id_idx" ON "authorizers" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "signing_keys_tenant_key_id_uq" ON "signing_keys" USING btree ("tenant_id","key_id");--> statement-breakpoint
CREATE UNIQUE INDEX "signing_keys_one_next_uq" ON "signing_keys" USING btree ("tenant_id") WHERE "signing_keys"."state" = 'next';--> statement-breakpoint
CREATE INDEX "authorization_requests_tenant_created_idx" ON "authorization_requests" USING btree ("tenant_id","created_at","request_id");--> statement-breakpoint
CREATE INDEX "authorization_requests_pending_expiry_idx" ON "authorization_requests" USING btree ("expires_at") WHERE "authorization_requests"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "authorization_requests_idempotency_uq" ON "authorization_requests" USING btree ("tenant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "executions_tenant_id_idx" ON "executions" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "request_events_request_idx" ON "request_events" USING btree ("request_id","id");--> statement-breakpoint
CREATE INDEX "request_events_tenant_idx" ON "request_events" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "request_targets_tenant_id_idx" ON "request_targets" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_tenant_status_idx" ON "webhook_deliveries" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "jobs" USING btree ("run_at") WHERE "jobs"."done_at" is null;--> statement-breakpoint
CREATE INDEX "jobs_tenant_id_idx" ON "jobs" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_open_uq" ON "jobs" USING btree ("kind","request_id","target") WHERE "jobs"."done_at" is null;