-- Why: no query reads this index (expiry runs from the jobs outbox), yet every request paid for it
-- on insert, and it was a trap for the decision write's prepared plan: planned on an empty table,
-- that plan could choose it and scan every pending request on each call. See db/statement.ts.
DROP INDEX "authorization_requests_pending_expiry_idx";
