-- The jobs list (jobs/JobRepository.LIST: WHERE account_id = $1 ORDER BY created_at DESC, id LIMIT $2) reads
-- the first rows of this index in order and stops; with (account_id, created_at DESC) alone PostgreSQL had to
-- read and sort every job of the account to break created_at ties by id. The new index covers the old one's
-- prefix, so the old one goes (one index fewer to write per job).
DROP INDEX IF EXISTS jobs_account;
CREATE INDEX jobs_account_recent ON jobs (account_id, created_at DESC, id);
