-- A job run could outlive its lease (a tenant's retry policy may take longer than GATEWAY_JOB_LEASE_SECONDS)
-- and then overwrite what the run that took the job over had written. Every claim now draws a new
-- lease token, and a run's writes are conditional on still holding it (fencing).
ALTER TABLE "jobs" ADD COLUMN "lease_token" uuid DEFAULT gen_random_uuid() NOT NULL;
