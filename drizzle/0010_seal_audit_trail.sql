-- Tamper evidence for the audit trail: entries get a hash chained per request (per tenant for configuration
-- events) and a checkpoint seq, set by the seal job, never by the write path; checkpoints are signed seals.
ALTER TYPE "public"."job_kind" ADD VALUE 'seal';--> statement-breakpoint
CREATE TABLE "audit_checkpoints" (
	"tenant_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"entry_count" integer NOT NULL,
	"key_id" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_checkpoints_tenant_id_seq_pk" PRIMARY KEY("tenant_id","seq")
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "checkpoint_seq" bigint;--> statement-breakpoint
ALTER TABLE "request_events" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "request_events" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "request_events" ADD COLUMN "checkpoint_seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD CONSTRAINT "audit_checkpoints_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_checkpoints_tenant_created_idx" ON "audit_checkpoints" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_events_unsealed_idx" ON "audit_events" USING btree ("tenant_id","created_at") WHERE checkpoint_seq is null;--> statement-breakpoint
CREATE INDEX "audit_events_sealed_idx" ON "audit_events" USING btree ("tenant_id","checkpoint_seq","created_at","id") WHERE checkpoint_seq is not null;--> statement-breakpoint
CREATE INDEX "request_events_unsealed_idx" ON "request_events" USING btree ("tenant_id","id") WHERE checkpoint_seq is null;--> statement-breakpoint
CREATE INDEX "request_events_sealed_idx" ON "request_events" USING btree ("tenant_id","checkpoint_seq","id") WHERE checkpoint_seq is not null;