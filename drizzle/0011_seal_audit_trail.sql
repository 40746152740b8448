-- Tamper evidence for the audit trail: entries get a hash chained per request (per tenant for configuration
-- events) and a checkpoint seq, set by the seal job, never by the write path; checkpoints are signed seals.
-- Retention: a purge keeps each sealed event's id and hash (audit_purged_entries) so old checkpoints still verify.
ALTER TYPE "public"."job_kind" ADD VALUE 'seal';--> statement-breakpoint
ALTER TYPE "public"."job_kind" ADD VALUE 'purge';--> statement-breakpoint
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
CREATE TABLE "audit_purged_entries" (
	"entry_id" bigint PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"checkpoint_seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"purged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "checkpoint_seq" bigint;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "retention_days" integer;--> statement-breakpoint
ALTER TABLE "request_events" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "request_events" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "request_events" ADD COLUMN "checkpoint_seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD CONSTRAINT "audit_checkpoints_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_purged_entries" ADD CONSTRAINT "audit_purged_entries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_checkpoints_tenant_created_idx" ON "audit_checkpoints" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_purged_entries_checkpoint_idx" ON "audit_purged_entries" USING btree ("tenant_id","checkpoint_seq","entry_id");--> statement-breakpoint
CREATE INDEX "audit_events_unsealed_idx" ON "audit_events" USING btree ("tenant_id","created_at") WHERE checkpoint_seq is null;--> statement-breakpoint
CREATE INDEX "audit_events_sealed_idx" ON "audit_events" USING btree ("tenant_id","checkpoint_seq","created_at","id") WHERE checkpoint_seq is not null;--> statement-breakpoint
CREATE INDEX "request_events_unsealed_idx" ON "request_events" USING btree ("tenant_id","id") WHERE checkpoint_seq is null;--> statement-breakpoint
CREATE INDEX "request_events_sealed_idx" ON "request_events" USING btree ("tenant_id","checkpoint_seq","id") WHERE checkpoint_seq is not null;