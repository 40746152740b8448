-- Key and secret rotation that cannot break traffic silently (issue 13, item 6).
-- authorizers.proven_key_ids: the tenant keys each authorizer has been shown to accept; retiring a key
-- is refused while an enabled authorizer is proven on none of the keys that remain.
-- tenant_settings.webhook_previous_secret_*: after a webhook secret rotation the old secret keeps
-- signing (a second Standard Webhooks signature) until the grace period ends.
ALTER TABLE "authorizers" ADD COLUMN "proven_key_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "webhook_previous_secret_ciphertext" text;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "webhook_previous_secret_key_version" text;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD COLUMN "webhook_previous_secret_expires_at" timestamp with time zone;--> statement-breakpoint
-- Hand-written: a sandbox authorizer already connected knows exactly the keys its registration holds.
UPDATE "authorizers" AS a SET "proven_key_ids" = ARRAY(SELECT k->>'keyId' FROM jsonb_array_elements(r."public_keys") AS k)
FROM "sandbox_registrations" AS r
WHERE a."name" = 'sandbox' AND r."tenant_id" = a."tenant_id" AND r."sp_id" = a."sp_id";
