-- Why: the built-in sandbox authorizer (issue 5) is a separate trust domain: its own key, SP
-- registrations with policy, the requests it received with their exact payloads, reviews, and
-- durable callback deliveries, so the whole StepAuth loop runs with nothing else installed.
CREATE TYPE "public"."sandbox_delivery_status" AS ENUM('pending', 'delivered', 'failed');--> statement-breakpoint
CREATE TYPE "public"."sandbox_request_status" AS ENUM('pending', 'approved', 'denied', 'expired', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."sandbox_verdict" AS ENUM('approve', 'deny');--> statement-breakpoint
CREATE TABLE "sandbox_deliveries" (
	"sandbox_request_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"callback_url" text NOT NULL,
	"status" "sandbox_delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_status_code" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sandbox_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"sp_id" text NOT NULL,
	"name" text NOT NULL,
	"public_keys" jsonb NOT NULL,
	"callback_url_pattern" text,
	"policy_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rate_limit_per_second" integer DEFAULT 20 NOT NULL,
	"rate_limit_burst" integer DEFAULT 40 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"registration_id" uuid NOT NULL,
	"sp_id" text NOT NULL,
	"request_id" text NOT NULL,
	"payload" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"summary" text NOT NULL,
	"action_type" text NOT NULL,
	"action_category" text,
	"principal" jsonb NOT NULL,
	"action" jsonb NOT NULL,
	"callback_url" text,
	"expires_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" "sandbox_request_status" DEFAULT 'pending' NOT NULL,
	"policy_rule" text,
	"required_approvals" integer DEFAULT 1 NOT NULL,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"decision_envelope" jsonb,
	"execution_status" text,
	"execution_error" text,
	"execution_reported_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sandbox_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sandbox_request_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"reviewer_name" text NOT NULL,
	"reviewer_email" text NOT NULL,
	"verdict" "sandbox_verdict" NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_signing_keys" (
	"key_id" text PRIMARY KEY NOT NULL,
	"public_key" text NOT NULL,
	"private_key_ciphertext" text NOT NULL,
	"private_key_key_version" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sandbox_deliveries" ADD CONSTRAINT "sandbox_deliveries_sandbox_request_id_sandbox_requests_id_fk" FOREIGN KEY ("sandbox_request_id") REFERENCES "public"."sandbox_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_deliveries" ADD CONSTRAINT "sandbox_deliveries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_registrations" ADD CONSTRAINT "sandbox_registrations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_requests" ADD CONSTRAINT "sandbox_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_requests" ADD CONSTRAINT "sandbox_requests_registration_id_sandbox_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."sandbox_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_reviews" ADD CONSTRAINT "sandbox_reviews_sandbox_request_id_sandbox_requests_id_fk" FOREIGN KEY ("sandbox_request_id") REFERENCES "public"."sandbox_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_reviews" ADD CONSTRAINT "sandbox_reviews_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_reviews" ADD CONSTRAINT "sandbox_reviews_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sandbox_deliveries_due_idx" ON "sandbox_deliveries" USING btree ("next_attempt_at") WHERE "sandbox_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_registrations_sp_id_uq" ON "sandbox_registrations" USING btree ("sp_id");--> statement-breakpoint
CREATE INDEX "sandbox_registrations_tenant_id_idx" ON "sandbox_registrations" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_requests_sp_request_uq" ON "sandbox_requests" USING btree ("sp_id","request_id");--> statement-breakpoint
CREATE INDEX "sandbox_requests_tenant_status_idx" ON "sandbox_requests" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "sandbox_requests_pending_expiry_idx" ON "sandbox_requests" USING btree ("expires_at") WHERE "sandbox_requests"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_reviews_one_per_reviewer_uq" ON "sandbox_reviews" USING btree ("sandbox_request_id","user_id");