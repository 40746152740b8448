-- Why: console sessions are stateless JWTs, so signing out only dropped the browser's cookie and a
-- copied cookie kept working for its whole lifetime. Each token now carries the user's session
-- version, checked on every console request; sign-out, a password change and removal from a tenant
-- bump it, which ends every session issued before. Existing sessions (no version) end at deploy.
ALTER TABLE "users" ADD COLUMN "session_version" integer DEFAULT 1 NOT NULL;
